// Host guard, namespaces: each bypass of the security review, driven with its own steps in a throw-away sandbox.
import { capBit, capsetArgs } from '../harness/script/capabilities.ts';
import { Script } from '../harness/script/builder.ts';
import { AF_INET, AT_FDCWD, CLONE, MS, O, REBOOT, SIOCSIFFLAGS, SOCK_DGRAM } from '../harness/script/constants.ts';
import { bytes, ifreq, ref, str } from '../harness/script/encode.ts';
import { SANDBOX_HOST, sandboxRun, sandboxTest as test } from './guard-sandbox.ts';

const CAP_SYS_BOOT = 22;
const PR_SET_KEEPCAPS = 8;

/** Steps that make /proc/self/ns/* (as a path) name files of a tmpfs: "not the host's namespace" by path text. */
function fakeProc(s: Script): void {
  s.sys('ownMnt', 'unshare', CLONE.NEWNS);
  s.sys('fakeDir', 'mkdir', str('{scratch}/fake'), 0o755);
  s.sys('fakeFs', 'mount', str('none'), str('{scratch}/fake'), str('tmpfs'), 0, 0);
  s.sys('self', 'mkdir', str('{scratch}/fake/self'), 0o755);
  s.sys('ns', 'mkdir', str('{scratch}/fake/self/ns'), 0o755);
  for (const kind of ['uts', 'user', 'pid', 'mnt'])
    s.sys(`${kind}File`, 'openat', AT_FDCWD, str(`{scratch}/fake/self/ns/${kind}`), O.WRONLY | O.CREAT, 0o644);
  s.sys('overProc', 'mount', str('{scratch}/fake'), str('/proc'), 0, MS.BIND, 0);
}

test('a bind mount over /proc no longer makes sethostname pass: namespaces are judged through the procfs fd opened at start', async (t) => {
  const { run, state } = await sandboxRun(
    () => {
      const s = new Script();
      fakeProc(s);
      s.sys('name', 'sethostname', str('nsconform-escaped'), 17);
      return s;
    },
    { inspect: 'hostname' },
  );
  t.is(run.step('overProc')?.r, 0, 'the bind mount itself is allowed (own mount namespace)');
  t.regex(String(run.step('name')?.guard), /^host safety: /);
  t.is(state.trim(), SANDBOX_HOST);
});

test('reboot() after a bind mount over /proc, as a non-root uid keeping CAP_SYS_BOOT, is refused and the sandbox lives', async (t) => {
  const { run, state } = await sandboxRun(
    () => {
      const s = new Script();
      fakeProc(s);
      s.sys('keep', 'prctl', PR_SET_KEEPCAPS, 1);
      s.sys('uid', 'setresuid', 5, 5, 5);
      s.sys('caps', 'capset', ...capsetArgs({ effective: capBit(CAP_SYS_BOOT), permitted: capBit(CAP_SYS_BOOT) }));
      s.sys('reboot', 'reboot', REBOOT.MAGIC1, REBOOT.MAGIC2, REBOOT.POWER_OFF, 0);
      return s;
    },
    { inspect: 'echo alive' },
  );
  t.is(run.step('caps')?.r, 0);
  t.regex(String(run.step('reboot')?.guard), /^host safety: /);
  t.is(state.trim(), 'alive');
});

test('sethostname with the current name but a shorter length (which would rename the host "san") is refused', async (t) => {
  const { run, state } = await sandboxRun(
    () => {
      const s = new Script();
      s.sys('short', 'sethostname', str(SANDBOX_HOST), 3);
      s.sys('same', 'sethostname', str(SANDBOX_HOST), SANDBOX_HOST.length);
      return s;
    },
    { inspect: 'hostname' },
  );
  t.regex(String(run.step('short')?.guard), /^host safety: /);
  t.is(
    run.step('same')?.guard,
    undefined,
    'the current name with its own length still passes (probes that must fail use it)',
  );
  t.is(state.trim(), SANDBOX_HOST);
});

test('run classifies the tool by the file it executes, not by argv[0]: hostname called "cat" is refused', async (t) => {
  const { run, state } = await sandboxRun(
    () => {
      const s = new Script();
      s.run('tool', 0, null, '/bin/hostname', 'cat', 'nsconform-escaped');
      return s;
    },
    { inspect: 'hostname' },
  );
  t.regex(String(run.step('tool')?.guard), /^host safety: /);
  t.is(state.trim(), SANDBOX_HOST);
});

test("SIOCSIFFLAGS on a socket of the host's net namespace is refused even from a net namespace the script created", async (t) => {
  const { run, state } = await sandboxRun(
    () => {
      const s = new Script();
      s.sys('sock', 'socket', AF_INET, SOCK_DGRAM, 0);
      s.sys('ownNet', 'unshare', CLONE.NEWNET);
      s.sys('down', 'ioctl', ref('sock'), SIOCSIFFLAGS, bytes(ifreq('lo', 0)));
      return s;
    },
    { inspect: 'ip -o link show lo' },
  );
  t.is(run.step('ownNet')?.r, 0);
  t.regex(String(run.step('down')?.guard), /^host safety: /);
  t.regex(state, /[<,]UP[,>]/, "the sandbox's lo is still up");
});

test("a veth pair whose peer fd names the host's net namespace is refused", async (t) => {
  const { run, state } = await sandboxRun(
    () => {
      const s = new Script();
      s.open('hostNet', '/proc/self/ns/net');
      s.sys('ownNet', 'unshare', CLONE.NEWNET);
      s.step('veth', 'veth', 'nscin0', 'nscout0', ref('hostNet'));
      return s;
    },
    { inspect: 'ip -o link show' },
  );
  t.regex(String(run.step('veth')?.guard), /^host safety: /);
  t.notRegex(state, /nscout0/);
});

test("run does not trust a tool's name where the script could have put another file under it (a bind mount in its own mount namespace)", async (t) => {
  const { run, state } = await sandboxRun(
    () => {
      const s = new Script();
      s.sys('ownMnt', 'unshare', CLONE.NEWNS);
      s.sys('disguise', 'mount', str('/bin/hostname'), str('/bin/cat'), 0, MS.BIND, 0);
      s.run('tool', 0, null, '/bin/cat', 'cat', 'nsconform-escaped');
      return s;
    },
    { inspect: 'hostname' },
  );
  t.is(run.step('disguise')?.r, 0);
  t.regex(String(run.step('tool')?.guard), /^host safety: /);
  t.is(state.trim(), SANDBOX_HOST);
});
