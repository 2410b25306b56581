// Containment: each case below an init of its own PID, mount, UTS and IPC namespaces, the host tree read-only.
import type { ExecutionContext } from 'ava';
import { Script } from '../harness/script/builder.ts';
import { AT_FDCWD, CLONE, O } from '../harness/script/constants.ts';
import { str } from '../harness/script/encode.ts';
import type { ScriptRun } from '../harness/script/run.ts';
import { sandboxRun, sandboxTest as test, withSandbox } from './guard-sandbox.ts';

/** The sandbox's own namespaces, to compare with the case's. */
const SANDBOX_NS = 'readlink /proc/self/ns/uts /proc/self/ns/ipc /proc/self/ns/pid';

function containedFacts(): Script {
  const s = new Script();
  s.sys('pid', 'getpid');
  s.step('mounts', 'mounts', '/proc/self/mountinfo', '/');
  s.readlink('uts', '/proc/self/ns/uts');
  s.readlink('ipc', '/proc/self/ns/ipc');
  s.readlink('pidNs', '/proc/self/ns/pid');
  s.sys('scratch', 'openat', AT_FDCWD, str('{scratch}/file'), O.WRONLY | O.CREAT | O.CLOEXEC, 0o600);
  return s;
}

function checkContained(t: ExecutionContext, run: ScriptRun, state: string) {
  t.is(run.step('pid')?.r, 2, "the case's root is pid 2 of its own PID namespace (its init is 1)");
  const at = run.step('mounts')?.at as Record<string, { opts?: string }> | undefined;
  t.regex(String(at?.['@']?.opts), /^ro\b/, 'the host tree is read-only');
  t.true((run.step('scratch')?.r ?? -1) >= 0, 'the scratch dir is writable');
  for (const label of ['uts', 'ipc', 'pidNs'])
    t.notRegex(
      state,
      new RegExp(String(run.step(label)?.text).replace(/[[\]]/g, '\\$&')),
      `${label}: not the sandbox's`,
    );
}

test("a case runs in its own PID, UTS and IPC namespaces, with the host's mounts read-only and only its scratch dir writable", async (t) => {
  const { run, state } = await sandboxRun(() => containedFacts(), { inspect: SANDBOX_NS });
  checkContained(t, run, state);
});

test('without mount_setattr (kernels before 5.12) every mount is bind-remounted read-only instead', async (t) => {
  const { run, state } = await sandboxRun(() => containedFacts(), {
    inspect: SANDBOX_NS,
    env: { NSCONFORM_CONTAIN_LEGACY_RO: '1' },
  });
  checkContained(t, run, state);
});

test('as root of a rootless container (uid 0 in a user namespace of its own) cases are contained the same way', async (t) => {
  const { run, state } = await sandboxRun(() => containedFacts(), {
    inspect: SANDBOX_NS,
    unshare: ['--user', '--map-root-user'],
  });
  checkContained(t, run, state);
});

test("a process that left the script's process group and session (setsid -f) dies with the case", async (t) => {
  const OWN = CLONE.NEWUTS | CLONE.NEWNS | CLONE.NEWNET | CLONE.NEWIPC;
  const { run, state } = await sandboxRun(
    () => {
      const s = new Script();
      s.run('escape', OWN, null, '/usr/bin/setsid', 'setsid', '-f', '/bin/sh', '-c', 'exec sleep 600 >/dev/null 2>&1');
      return s;
    },
    { inspect: 'pgrep -c -x sleep || true' },
  );
  t.is(run.step('escape')?.code, 0, 'setsid -f started the sleeper in a session of its own');
  t.is(state.trim(), '0', 'no process of the case is left in the sandbox');
});

test("where containment cannot be made (user.max_pid_namespaces = 0 in the runner's user namespace) the case is not run, and the reason says so", async (t) => {
  const { value: record } = await withSandbox(
    { unshare: ['--user', '--map-root-user'], setup: 'echo 0 > /proc/sys/user/max_pid_namespaces' },
    (sandbox) => {
      const s = new Script();
      s.write('ran', '{scratch}/ran', 'x');
      return sandbox.script(s);
    },
  );
  t.is(record.outcome, 'failed');
  t.regex(String(record.reason), /containment: .*ENOSPC.*not run uncontained/);
  t.deepEqual(record.steps, []);
});

test("setns into a namespace file the script did not create (a bind mount of the host's, as under /run/netns) is refused: it would lead out of containment", async (t) => {
  const { run } = await sandboxRun(
    () => {
      const s = new Script();
      s.open('hostUts', '{scratch}/utsns');
      s.fstat('file', 'hostUts');
      s.stat('nsfs', '/proc/self/ns/uts');
      s.setns('enter', 'hostUts', CLONE.NEWUTS);
      s.open('ownNs', '/proc/self/ns/uts');
      s.setns('start', 'ownNs', CLONE.NEWUTS);
      return s;
    },
    { setup: 'touch "$D/scratch/utsns" && mount --bind /proc/self/ns/uts "$D/scratch/utsns"' },
  );
  t.is(run.step('file')?.dev, run.step('nsfs')?.dev, "the fd is the sandbox's UTS namespace (nsfs)");
  t.regex(String(run.step('enter')?.guard), /^host safety: /);
  t.is(run.step('start')?.r, 0, 'joining a namespace the script started in stays allowed');
});
