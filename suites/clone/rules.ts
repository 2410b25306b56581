// Flag-combination rules of clone(2)/clone3() and the EINVAL each gives — clone(2) ERRORS; pid_namespaces(7).
// Each EINVAL rule is tried from a context that holds the capability (spec §2 note 6): real root, or root in a user ns of our own.
import { CLONE, expect, Script, SIG, type SpecClaim } from '../../harness/kit.ts';
import { bareClone, failingClone, failingClone3 } from './ops.ts';

const { at } = expect;
/** CLONE_THREAD needs CLONE_SIGHAND, which needs CLONE_VM. */
const THREAD = CLONE.THREAD | CLONE.SIGHAND | CLONE.VM;

export const nsWithFs: SpecClaim = {
  key: 'newns-fs',
  kinds: ['mnt'],
  claim:
    'CLONE_NEWNS with CLONE_FS gives EINVAL from clone and clone3 to a caller holding CAP_SYS_ADMIN, though each flag alone is accepted',
  specIds: ['COMBO-05'],
  manPage: 'clone(2) CLONE_NEWNS; ERRORS EINVAL',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    failingClone(s, 'nsFsClone', CLONE.NEWNS | CLONE.FS);
    failingClone3(s, 'nsFsClone3', CLONE.NEWNS | CLONE.FS);
    bareClone(s, 'fsAlone', 'clone', CLONE.FS);
    bareClone(s, 'nsAlone', 'clone3', CLONE.NEWNS);
    return s;
  },
  checks: () => [
    expect.errno('nsFsClone', 'EINVAL'),
    expect.errno('nsFsClone3', 'EINVAL'),
    expect.ok('fsAlone'),
    expect.ok('nsAlone'),
  ],
};

export const userWithFs: SpecClaim = {
  key: 'newuser-fs',
  kinds: ['user'],
  claim: 'CLONE_NEWUSER with CLONE_FS gives EINVAL from clone and clone3, though each flag alone is accepted',
  specIds: ['COMBO-06'],
  manPage: 'clone(2) CLONE_NEWUSER; ERRORS EINVAL',
  // CLONE_NEWUSER needs no capability, so any caller meets spec note 6 here.
  priv: 'A',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: () => {
    const s = new Script();
    failingClone(s, 'userFsClone', CLONE.NEWUSER | CLONE.FS);
    failingClone3(s, 'userFsClone3', CLONE.NEWUSER | CLONE.FS);
    bareClone(s, 'fsAlone', 'clone', CLONE.FS);
    bareClone(s, 'userAlone', 'clone3', CLONE.NEWUSER);
    return s;
  },
  checks: () => [
    expect.errno('userFsClone', 'EINVAL'),
    expect.errno('userFsClone3', 'EINVAL'),
    expect.ok('fsAlone'),
    expect.ok('userAlone'),
  ],
};

export const pidWithThread: SpecClaim = {
  key: 'newpid-thread',
  kinds: ['pid'],
  claim:
    'CLONE_NEWPID with CLONE_THREAD gives EINVAL from clone and clone3 (exit_signal 0) to a caller holding CAP_SYS_ADMIN, though a plain thread is accepted; clone3 also refuses CLONE_THREAD with a non-zero exit_signal (EINVAL, not in the 6.03 page)',
  specIds: ['COMBO-07'],
  manPage: 'clone(2) CLONE_NEWPID; pid_namespaces(7) "Compatibility of CLONE_NEWPID with other CLONE_* flags"',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    // The bare ops' child touches no memory, so a regression that made a thread stays harmless.
    bareClone(s, 'pidThreadClone', 'clone', CLONE.NEWPID | THREAD, 0);
    bareClone(s, 'pidThreadClone3', 'clone3', CLONE.NEWPID | THREAD, 0);
    bareClone(s, 'threadClone', 'clone', THREAD, 0);
    bareClone(s, 'threadClone3', 'clone3', THREAD, 0);
    bareClone(s, 'threadSignal3', 'clone3', THREAD, SIG.CHLD);
    return s;
  },
  checks: () => [
    expect.errno('pidThreadClone', 'EINVAL'),
    expect.errno('pidThreadClone3', 'EINVAL'),
    expect.ok('threadClone'),
    expect.ok('threadClone3'),
    expect.errno('threadSignal3', 'EINVAL', 'clone3: CLONE_THREAD with exit_signal SIGCHLD'),
  ],
};

export const userWithThread: SpecClaim = {
  key: 'newuser-thread',
  kinds: ['user'],
  claim:
    'CLONE_NEWUSER with CLONE_THREAD gives EINVAL from clone and clone3 (exit_signal 0), though a plain thread is accepted',
  specIds: ['COMBO-08'],
  manPage: 'clone(2) CLONE_NEWUSER; ERRORS EINVAL',
  // CLONE_NEWUSER needs no capability, so any caller meets spec note 6 here.
  priv: 'A',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: () => {
    const s = new Script();
    bareClone(s, 'userThreadClone', 'clone', CLONE.NEWUSER | THREAD, 0);
    bareClone(s, 'userThreadClone3', 'clone3', CLONE.NEWUSER | THREAD, 0);
    bareClone(s, 'threadClone', 'clone', THREAD, 0);
    bareClone(s, 'threadClone3', 'clone3', THREAD, 0);
    return s;
  },
  checks: () => [
    expect.errno('userThreadClone', 'EINVAL'),
    expect.errno('userThreadClone3', 'EINVAL'),
    expect.ok('threadClone'),
    expect.ok('threadClone3'),
  ],
};

export const ipcWithSysvsem: SpecClaim = {
  key: 'newipc-sysvsem',
  kinds: ['user', 'ipc'],
  claim:
    'CLONE_NEWIPC with CLONE_SYSVSEM gives EINVAL from clone and clone3, as a capable caller and with CLONE_NEWUSER added, though each flag alone is accepted',
  specIds: ['COMBO-10'],
  manPage: 'clone(2) CLONE_NEWIPC; ERRORS EINVAL',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    failingClone(s, 'ipcSemClone', CLONE.NEWIPC | CLONE.SYSVSEM);
    failingClone3(s, 'ipcSemClone3', CLONE.NEWIPC | CLONE.SYSVSEM);
    failingClone(s, 'userIpcSemClone', CLONE.NEWUSER | CLONE.NEWIPC | CLONE.SYSVSEM);
    failingClone3(s, 'userIpcSemClone3', CLONE.NEWUSER | CLONE.NEWIPC | CLONE.SYSVSEM);
    bareClone(s, 'ipcAlone', 'clone3', CLONE.NEWIPC);
    bareClone(s, 'semAlone', 'clone3', CLONE.SYSVSEM);
    return s;
  },
  checks: () => [
    expect.errno('ipcSemClone', 'EINVAL'),
    expect.errno('ipcSemClone3', 'EINVAL'),
    expect.errno('userIpcSemClone', 'EINVAL'),
    expect.errno('userIpcSemClone3', 'EINVAL'),
    expect.ok('ipcAlone'),
    expect.ok('semAlone'),
  ],
};

export const noThreadAfterPidChange: SpecClaim = {
  key: 'thread-after-pid-change',
  kinds: ['pid'],
  claim:
    'once pid_for_children differs from its own PID namespace (after unshare(CLONE_NEWPID) or setns into a PID namespace), clone(CLONE_THREAD) gives EINVAL',
  specIds: ['COMBO-11'],
  manPage: 'clone(2) ERRORS EINVAL',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.fork('unsharer', 'clone3', 0, (c) => {
      bareClone(c, 'threadBefore', 'clone', THREAD, 0);
      c.sys('unsharePid', 'unshare', CLONE.NEWPID);
      bareClone(c, 'threadAfterUnshare', 'clone', THREAD, 0);
      bareClone(c, 'thread3AfterUnshare', 'clone3', THREAD, 0);
    });
    s.wait('unsharerExit', 'unsharer');
    s.fork('init', 'clone3', CLONE.NEWPID, (c) => c.await('release', 0));
    s.open('initPidNs', '/proc/{init}/ns/pid');
    s.fork('joiner', 'clone3', 0, (c) => {
      c.setns('join', 'initPidNs', CLONE.NEWPID);
      bareClone(c, 'threadAfterSetns', 'clone', THREAD, 0);
    });
    s.wait('joinerExit', 'joiner');
    s.post('done', 0);
    s.wait('initExit', 'init');
    return s;
  },
  checks: () => [
    expect.ok('threadBefore', 'the same process may make a thread before'),
    expect.ok('unsharePid'),
    expect.errno('threadAfterUnshare', 'EINVAL'),
    expect.errno('thread3AfterUnshare', 'EINVAL'),
    expect.exitCode('unsharerExit', 0),
    expect.ok('join'),
    expect.errno('threadAfterSetns', 'EINVAL'),
    expect.exitCode('joinerExit', 0),
  ],
};

export const initCannotUseParent: SpecClaim = {
  key: 'init-clone-parent',
  kinds: ['pid'],
  claim:
    'the init (PID 1) of a PID namespace gets EINVAL from clone and clone3 with CLONE_PARENT, while another member of that namespace may use it',
  specIds: ['COMBO-12'],
  manPage: 'clone(2) CLONE_PARENT; ERRORS EINVAL',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.fork('init', 'clone3', CLONE.NEWPID, (init) => {
      init.sys('initPid', 'getpid');
      failingClone(init, 'parentClone', CLONE.PARENT);
      failingClone3(init, 'parentClone3', CLONE.PARENT, 0);
      // The contrast: PID 2 makes a sibling, which is init's child and is reaped by init.
      init.fork('member', 'clone3', 0, (m) => {
        m.fork('sibling', 'clone', CLONE.PARENT, (c) => c.sys('siblingPpid', 'getppid'));
        m.post('forked', 0);
      });
      init.await('waitForked', 0);
      init.wait('siblingExit', 'sibling');
      init.wait('memberExit', 'member');
    });
    s.wait('initExit', 'init');
    return s;
  },
  checks: () => [
    expect.ok('init'),
    expect.ret('initPid', 1),
    expect.errno('parentClone', 'EINVAL'),
    expect.errno('parentClone3', 'EINVAL'),
    expect.ok('sibling', 'clone(CLONE_PARENT) by PID 2'),
    expect.ret('siblingPpid', 1, "the sibling's parent is init"),
    expect.exitCode('siblingExit', 0),
    expect.exitCode('initExit', 0),
  ],
};

export const newPidWithVm: SpecClaim = {
  key: 'newpid-with-vm',
  kinds: ['pid'],
  claim:
    'CLONE_NEWPID with CLONE_VM, and with CLONE_VM|CLONE_SIGHAND, is accepted by clone: the CLONE_VM child is PID 1 of a new PID namespace',
  specIds: ['COMBO-13'],
  manPage: 'pid_namespaces(7) "Compatibility of CLONE_NEWPID with other CLONE_* flags"',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    bareClone(s, 'pidVm', 'clone', CLONE.NEWPID | CLONE.VM);
    // The exit code is not seen here: the exiting init sets SIGCHLD to SIG_IGN in the handler table it
    // shares with its parent, so the kernel reaps it at once (the op restores the disposition).
    bareClone(s, 'pidVmSighand', 'clone', CLONE.NEWPID | CLONE.VM | CLONE.SIGHAND);
    return s;
  },
  checks: () => [
    expect.ok('pidVm'),
    expect.equals(at('pidVm', 'code'), 1, "the child's getpid() (its exit code)"),
    expect.ok('pidVmSighand'),
  ],
};
