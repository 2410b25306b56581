// The observer's script protocol: steps, forks, events and substitutions; the host guard; deadlines; host IPC cleanup.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import test from 'ava';
import { withDir } from 'tmp-promise';
import { OBSERVER_BINARY } from '../harness/observer/binary.ts';
import { ObserverClient } from '../harness/observer/client.ts';
import { Script } from '../harness/script/builder.ts';
import { CLONE, IPC, MS } from '../harness/script/constants.ts';
import { str } from '../harness/script/encode.ts';

const PR_SET_NAME = 15;
import { ScriptRun } from '../harness/script/run.ts';
import { journaledObserver } from './live-journal.ts';

async function runScript(script: Script, options: { timeoutMs?: number; scratch?: string } = {}) {
  const client = journaledObserver();
  try {
    return await client.script({
      drop: null,
      timeoutMs: options.timeoutMs ?? 5000,
      scratch: options.scratch ?? null,
      lines: script.lines,
    });
  } finally {
    await client.close();
  }
}

test('steps run in order, forks run their block, events sequence processes, results substitute', async (t) => {
  await withDir(
    async ({ path }) => {
      const s = new Script();
      s.sys('me', 'getpid');
      s.fork('child', 'clone3', 0, (c) => {
        c.await('go', 0);
        c.sys('parent', 'getppid');
        c.readlink('scratch', '/proc/self/cwd');
      });
      s.readlink('link', '/proc/{child}/exe');
      s.post('release', 0);
      s.wait('exit', 'child');
      s.stat('dir', '{scratch}');
      const record = await runScript(s, { scratch: path });
      t.is(record.outcome, 'observed');
      const run = new ScriptRun(record);
      t.is(run.step('parent')?.r, run.step('me')?.r);
      t.is(run.step('parent')?.p, 'child');
      t.regex(String(run.step('link')?.text), /nsconform-observer/);
      t.like(run.step('exit'), { r: run.step('child')?.r, code: 0 });
      t.is(run.step('dir')?.r, 0);
    },
    { unsafeCleanup: true },
  );
});

test("a step whose $label or {label} has no value is marked as the observer's (bad), not run on a made-up 0 or a literal path", async (t) => {
  const s = new Script();
  s.open('missing', '/nonexistent-nsconform/file');
  s.sys('ioctl', 'ioctl', '$missing', 0xb702);
  s.readlink('link', '/proc/{missing}/exe');
  s.stat('scratch', '{scratch}');
  const run = new ScriptRun(await runScript(s, { scratch: '/tmp' }));
  t.like(run.step('missing'), { r: -1, e: 'ENOENT' });
  for (const label of ['ioctl', 'link'])
    t.like(run.step(label), { r: -1, e: 'EINVAL', bad: 'unresolved reference: step missing has no result' }, label);
  t.is(run.step('scratch')?.bad, undefined, '{scratch} is no step reference');
});

test("an op given a malformed or missing number reports that as the observer's (bad), not as the kernel's EINVAL", async (t) => {
  const s = new Script();
  s.step('word', 'wait', 'notanumber');
  s.step('none', 'fstat');
  const run = new ScriptRun(await runScript(s));
  t.like(run.step('word'), { r: -1, e: 'EINVAL', bad: 'argument 1 is not a number: notanumber' });
  t.like(run.step('none'), { r: -1, e: 'EINVAL', bad: 'argument 1 is missing' });
});

test('the host guard refuses steps that would change the host, and says why', async (t) => {
  const s = new Script();
  s.sys('name', 'sethostname', str('nsconform-must-not-land'), 23);
  s.sys('mount', 'mount', str('none'), str('/mnt'), str('tmpfs'), 0, 0);
  s.write('limit', '/proc/sys/user/max_user_namespaces', '1');
  s.sys('kill', 'kill', 1, 0);
  s.write('file', '/etc/nsconform-must-not-exist', 'x');
  s.write('climb', '{scratch}/../nsconform-must-not-exist', 'x');
  const run = new ScriptRun(await runScript(s, { scratch: '/tmp' }));
  for (const label of ['name', 'mount', 'limit', 'kill', 'file', 'climb'])
    t.regex(String(run.step(label)?.guard), /^host safety: /, label);
  t.not(hostname(), 'nsconform-must-not-land');
});

test('inside namespaces the script created the same steps are allowed', async (t) => {
  const s = new Script();
  s.sys('unshare', 'unshare', CLONE.NEWUTS | CLONE.NEWNS);
  s.sys('name', 'sethostname', str('nsconform-inside'), 16);
  s.read('seen', '/proc/sys/kernel/hostname');
  s.sys('mount', 'mount', str('none'), str('/mnt'), str('tmpfs'), MS.NOSUID, 0);
  const run = new ScriptRun(await runScript(s));
  if (run.step('unshare')?.r !== 0) return t.pass('not root: creating these namespaces is refused, nothing to show');
  t.is(run.step('seen')?.text, 'nsconform-inside\n');
  t.is(run.step('mount')?.r, 0);
  t.is(run.guarded(), undefined);
  t.not(hostname(), 'nsconform-inside');
});

/** The processes on this machine whose name (comm) is `name`: a contained case's pids are not the host's, names are. */
function processesNamed(name: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
      } catch {
        return false;
      }
    });
}

test('at the deadline every process of the script is killed and reaped, and the steps so far are kept', async (t) => {
  const name = `nsc-dl-${process.pid % 100000}`;
  const s = new Script();
  s.fork('sleeper', 'clone3', 0, (c) => {
    c.sys('name', 'prctl', PR_SET_NAME, str(name));
    c.await('never', 0);
  });
  s.wait('exit', 'sleeper');
  const record = await runScript(s, { timeoutMs: 300 });
  t.is(record.outcome, 'timeout');
  const run = new ScriptRun(record);
  t.true((run.step('sleeper')?.r ?? 0) > 0);
  t.is(run.step('name')?.r, 0);
  t.deepEqual(processesNamed(name), []);
});

test("SysV objects a script creates are gone afterwards: in the case's own IPC namespace (root), or removed (non-root runner)", async (t) => {
  const s = new Script();
  s.sys('queue', 'msgget', IPC.PRIVATE, IPC.CREAT | 0o600);
  s.readlink('ns', '/proc/self/ns/ipc');
  const run = new ScriptRun(await runScript(s));
  const id = run.step('queue')?.r ?? -1;
  t.true(id >= 0);
  if (process.getuid?.() === 0) return t.not(run.step('ns')?.text, readlinkSync('/proc/self/ns/ipc'));
  const ids = readFileSync('/proc/sysvipc/msg', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => Number(line.trim().split(/\s+/)[1]));
  t.false(ids.includes(id));
});

test('a malformed script is answered with a failed record and the observer serves the next one', async (t) => {
  const client = new ObserverClient(OBSERVER_BINARY);
  try {
    await t.throwsAsync(client.script({ drop: null, timeoutMs: 1000, scratch: null, lines: ['a sys getpid', 'end'] }), {
      message: /closes no block/,
    });
    const good = new Script();
    good.sys('pid', 'getpid');
    t.is((await client.script({ drop: null, timeoutMs: 1000, scratch: null, lines: good.lines })).outcome, 'observed');
  } finally {
    await client.close();
  }
});
