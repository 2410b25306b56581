// Flags unshare(2) refuses: unknown bits, and thread-sharing flags in a multithreaded caller — unshare(2) ERRORS.
import { CLONE, expect, Script, type SpecClaim } from '../../harness/kit.ts';

const VFORK = 0x4000;
/** A bit of the exit-signal byte (SIGCHLD); 0x80 is not used, it is CLONE_NEWTIME. */
const SIGNAL_BYTE = 0x11;
const SHARING = { thread: CLONE.THREAD, sighand: CLONE.SIGHAND, vm: CLONE.VM } as const;
const SHARING_KEYS = Object.keys(SHARING) as (keyof typeof SHARING)[];

export const unknownFlags: SpecClaim = {
  key: 'unshare-unknown-flags',
  kinds: [],
  claim:
    'unshare gives EINVAL for flag bits it does not know: CLONE_PARENT, CLONE_VFORK and a bit of the exit-signal byte',
  specIds: ['UNS-10'],
  manPage: 'unshare(2) ERRORS EINVAL',
  priv: 'A',
  script: () => {
    const s = new Script();
    s.sys('parent', 'unshare', CLONE.PARENT);
    s.sys('vfork', 'unshare', VFORK);
    s.sys('signal', 'unshare', SIGNAL_BYTE);
    return s;
  },
  checks: () => [expect.errno('parent', 'EINVAL'), expect.errno('vfork', 'EINVAL'), expect.errno('signal', 'EINVAL')],
};

export const threadSharingFlags: SpecClaim = {
  key: 'unshare-thread-flags',
  kinds: ['user'],
  claim:
    'CLONE_THREAD, CLONE_SIGHAND and CLONE_VM are accepted as no-ops by a single-threaded caller; a multithreaded caller gets EINVAL for them and for CLONE_NEWUSER, which implies CLONE_THREAD',
  specIds: ['UNS-07', 'UNS-11'],
  manPage: 'unshare(2) DESCRIPTION, CLONE_NEWUSER; ERRORS EINVAL',
  priv: 'A',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: () => {
    const s = new Script();
    s.fork('single', 'clone3', 0, (c) => {
      for (const key of SHARING_KEYS) c.sys(`${key}Single`, 'unshare', SHARING[key]);
    });
    s.wait('singleExit', 'single');
    s.fork('multi', 'clone3', 0, (c) => {
      c.thread('secondThread');
      for (const key of SHARING_KEYS) c.sys(`${key}Multi`, 'unshare', SHARING[key]);
      c.sys('userMulti', 'unshare', CLONE.NEWUSER);
    });
    s.wait('multiExit', 'multi');
    return s;
  },
  checks: () => [
    ...SHARING_KEYS.map((key) => expect.ok(`${key}Single`)),
    expect.ok('secondThread'),
    ...SHARING_KEYS.map((key) => expect.errno(`${key}Multi`, 'EINVAL')),
    expect.errno('userMulti', 'EINVAL'),
  ],
};

export const newPidInThreadedCaller: SpecClaim = {
  key: 'unshare-pid-threaded',
  kinds: ['pid'],
  claim:
    'unshare(CLONE_NEWPID) succeeds in a multithreaded caller, whose next child is PID 1 of the new namespace (man page: implies CLONE_THREAD, so EINVAL; kernel: succeeds, spec D3)',
  specIds: ['UNS-08'],
  manPage: 'unshare(2) CLONE_NEWPID',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.fork('threaded', 'clone3', 0, (c) => {
      c.thread('secondThread');
      c.sys('unshare', 'unshare', CLONE.NEWPID);
      c.fork('first', 'clone3', 0, (f) => {
        f.sys('firstPid', 'getpid');
      });
      c.wait('firstExit', 'first');
    });
    s.wait('threadedExit', 'threaded');
    return s;
  },
  checks: () => [expect.ok('secondThread'), expect.ok('unshare'), expect.equals(expect.at('firstPid'), 1)],
};
