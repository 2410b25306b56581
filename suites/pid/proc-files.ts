// /proc as a PID namespace sees it: the PID list, /proc/self, ns_last_pid and /proc/locks — pid_namespaces(7) "/proc and PID namespaces", "/proc files"; proc(5).
import { AT_FDCWD, bytes, CLONE, expect, O, ref, Script, type SpecClaim, str } from '../../harness/kit.ts';
import { dropAllCaps } from './steps.ts';

const { at } = expect;
const PROC = '{scratch}/proc';
/** /proc lists its fixed entries (none starting with a digit) and then the PIDs in order: here exactly 1 and 2. */
const ONLY_PIDS_1_2 = /^(?:[^\d\s]\S* )*1 2$/;
const NS_LAST_PID = '/proc/sys/kernel/ns_last_pid';
const F_SETLK = 6;
const F_WRLCK = 1;

/** struct flock (x86-64, 32 bytes): a write lock on the whole file. */
function writeLock(): Uint8Array {
  const flock = Buffer.alloc(32);
  flock.writeInt16LE(F_WRLCK, 0);
  return flock;
}

/** A fork into new PID and mount namespaces that mounts a proc of its own on {scratch}/proc. */
function initWithOwnProc(s: Script, body: (init: Script) => void): void {
  s.sys('mkProc', 'mkdir', str(PROC), 0o755);
  s.fork('init', 'clone3', CLONE.NEWPID | CLONE.NEWNS, (c) => {
    c.sys('mountProc', 'mount', str('proc'), str(PROC), str('proc'), 0, 0);
    body(c);
  });
}

export const procListsOwnPids: SpecClaim = {
  key: 'proc-lists-own-pids',
  kinds: ['mnt', 'pid'],
  claim:
    "a proc mounted inside a new mount and PID namespace lists exactly that namespace's PIDs, and its /proc/self is the caller's PID there",
  specIds: ['PID-14', 'PID-15'],
  manPage: 'pid_namespaces(7) "/proc and PID namespaces"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    initWithOwnProc(s, (c) => {
      c.fork('member', 'clone3', 0, (m) => {
        m.readlink('memberSelf', `${PROC}/self`);
        m.post('memberUp', 0);
        m.await('memberRelease', 1);
      });
      c.await('up', 0);
      c.readdir('listing', PROC);
      c.readlink('initSelf', `${PROC}/self`);
      c.post('release', 1);
      c.wait('memberExit', 'member');
    });
    s.wait('initExit', 'init');
    return s;
  },
  checks: () => [
    expect.ok('mountProc'),
    expect.matches(at('listing', 'names'), ONLY_PIDS_1_2, 'the only PIDs listed are the init (1) and its member (2)'),
    expect.equals(at('initSelf', 'text'), '1', 'readlink /proc/self in the init'),
    expect.equals(at('memberSelf', 'text'), '2', 'and in the member'),
    expect.exitCode('memberExit', 0),
    expect.exitCode('initExit', 0),
  ],
};

export const nsLastPidPerNamespace: SpecClaim = {
  key: 'ns-last-pid',
  kinds: ['pid'],
  claim:
    'ns_last_pid is per PID namespace: a new one reads 1, after root there writes 499 the next fork gets PID 500, and a member without capabilities gets EPERM writing it',
  specIds: ['PID-16'],
  manPage: 'pid_namespaces(7) "/proc files"; proc(5) /proc/sys/kernel/ns_last_pid',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.fork('init', 'clone3', CLONE.NEWPID, (c) => {
      c.read('lastBefore', NS_LAST_PID);
      c.write('setLast', NS_LAST_PID, '499');
      c.fork('next', 'clone3', 0, (n) => {
        n.sys('nextPid', 'getpid');
      });
      c.wait('nextExit', 'next');
      c.read('lastAfter', NS_LAST_PID);
      c.fork('noCap', 'clone3', 0, (n) => {
        dropAllCaps(n, 'dropCaps');
        n.write('noCapSet', NS_LAST_PID, '700');
      });
      c.wait('noCapExit', 'noCap');
    });
    s.wait('initExit', 'init');
    return s;
  },
  checks: () => [
    expect.equals(at('lastBefore', 'text'), '1\n', 'only the init has been allocated in the new namespace'),
    expect.ok('setLast'),
    expect.ret('next', 500, 'the lowest free PID above the written value'),
    expect.ret('nextPid', 500),
    expect.equals(at('lastAfter', 'text'), '500\n'),
    expect.ok('dropCaps'),
    expect.errno('noCapSet', 'EPERM', 'a writer without CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE'),
    expect.exitCode('initExit', 0),
  ],
};

export const procLocksOwnNamespace: SpecClaim = {
  key: 'proc-locks-own-namespace',
  kinds: ['mnt', 'pid'],
  claim:
    "/proc/locks of a proc mounted in a PID namespace lists only locks held by that namespace's processes, not a lock held outside",
  specIds: ['PID-20'],
  manPage: 'proc(5) /proc/locks',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.sys('outerFile', 'openat', AT_FDCWD, str('{scratch}/outer.lock'), O.RDWR | O.CREAT | O.CLOEXEC, 0o600);
    s.sys('outerLock', 'fcntl', ref('outerFile'), F_SETLK, bytes(writeLock()));
    initWithOwnProc(s, (c) => {
      c.sys('innerFile', 'openat', AT_FDCWD, str('{scratch}/inner.lock'), O.RDWR | O.CREAT | O.CLOEXEC, 0o600);
      c.sys('innerLock', 'fcntl', ref('innerFile'), F_SETLK, bytes(writeLock()));
      c.read('innerLocks', `${PROC}/locks`);
    });
    s.wait('initExit', 'init');
    return s;
  },
  checks: () => [
    expect.ok('outerLock', 'a lock held outside the namespace'),
    expect.ok('mountProc'),
    expect.ok('innerLock'),
    // OFD locks belong to no process (pid -1) and so show in every PID namespace (locks_translate_pid):
    // a host whose programs hold them (qemu does) must not fail the claim. Every POSIX line must be PID 1's.
    expect.matches(
      at('innerLocks', 'text'),
      /^(?:\d+: OFDLCK +\S+ +\S+ +-1 [^\n]*\n)*\d+: POSIX +ADVISORY +WRITE +1 [^\n]*\n(?:\d+: OFDLCK +\S+ +\S+ +-1 [^\n]*\n)*$/,
      "one POSIX line, the init's own lock as PID 1; other lines only process-less OFD locks",
    ),
    expect.exitCode('initExit', 0),
  ],
};
