// clone3() set_tid: choosing the child's PID in each PID namespace — clone(2) "The set_tid array"; ERRORS.
import { CLONE, expect, Script, type SpecClaim } from '../../harness/kit.ts';
import { setTid, setTidDeep } from './ops.ts';

const { at } = expect;
const CHOSEN_PID = 77;

/** A child that is init of a new PID namespace runs `body`, then is reaped. */
function inNewPidNamespace(s: Script, body: (init: Script) => void): void {
  s.fork('init', 'clone3', CLONE.NEWPID, body);
  s.wait('initExit', 'init');
}

export const newPidNeedsTidOne: SpecClaim = {
  key: 'set-tid-new-pid-ns',
  kinds: ['pid'],
  claim:
    'clone3(CLONE_NEWPID) with set_tid must ask for PID 1: set_tid={5} gives EINVAL, set_tid={1} makes the child PID 1 of the new namespace',
  specIds: ['CLONE-09'],
  manPage: 'clone(2) "The set_tid array"; ERRORS EINVAL',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    setTid(s, 'tidFive', CLONE.NEWPID, [5]);
    setTid(s, 'tidOne', CLONE.NEWPID, [1]);
    return s;
  },
  checks: () => [
    expect.errno('tidFive', 'EINVAL'),
    expect.ok('tidOne'),
    expect.equals(at('tidOne', 'code'), 1, "the child's getpid() in its new PID namespace (its exit code)"),
  ],
};

export const usedTidIsEexist: SpecClaim = {
  key: 'set-tid-taken',
  kinds: ['pid'],
  claim: 'clone3 set_tid naming a PID already used in the target PID namespace fails with EEXIST',
  specIds: ['CLONE-10'],
  manPage: 'clone(2) ERRORS EEXIST',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    inNewPidNamespace(s, (init) => {
      init.sys('initPid', 'getpid');
      setTid(init, 'tidOne', 0, [1]);
    });
    return s;
  },
  checks: () => [
    expect.ok('init'),
    expect.ret('initPid', 1, 'the caller is init, so PID 1 is taken'),
    expect.errno('tidOne', 'EEXIST'),
    expect.exitCode('initExit', 0),
  ],
};

export const tidSizeBoundedByDepth: SpecClaim = {
  key: 'set-tid-size-limit',
  kinds: ['pid'],
  claim:
    "clone3 with set_tid_size greater than the caller's PID-namespace depth + 1 fails with EINVAL (depth + 1 passes that check)",
  specIds: ['CLONE-11'],
  manPage: 'clone(2) ERRORS EINVAL',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }, { kind: 'pid-depth-known' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    // Inside a new PID namespace the innermost entry (1) is taken, so depth + 1 entries end in EEXIST, not EINVAL.
    inNewPidNamespace(s, (init) => {
      setTidDeep(init, 'tooMany', 0, 1);
      setTidDeep(init, 'fullDepth', 0, 0);
    });
    return s;
  },
  checks: () => [
    expect.ok('init'),
    expect.compare(at('tooMany', 'depth'), '>=', 1, 'the caller is in a nested PID namespace'),
    expect.errno('tooMany', 'EINVAL', 'set_tid_size = depth + 2'),
    expect.exitCode('initExit', 0),
  ],
  variants: [
    {
      id: 'EEXIST: depth + 1 reaches the PID allocation',
      kernels: ['6.1', '6.18', '7.2.13 (root)'],
      checks: () => [expect.errno('fullDepth', 'EEXIST', 'set_tid_size = depth + 1 reaches the PID allocation')],
    },
    {
      id: 'D16: EPERM from an unprivileged user namespace',
      kernels: ['7.2.13 (unprivileged)'],
      modes: ['unprivileged'],
      checks: () => [expect.errno('fullDepth', 'EPERM', 'spec D16: cause not yet read from the source')],
    },
  ],
};

export const setTidNeedsCapability: SpecClaim = {
  key: 'set-tid-eperm',
  kinds: ['pid'],
  claim:
    'clone3 set_tid without CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE over the target PID namespace fails with EPERM',
  specIds: ['CLONE-12'],
  manPage: 'clone(2) ERRORS EPERM',
  priv: 'N',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: () => {
    const s = new Script();
    setTid(s, 'hostTid', 0, [31337]);
    return s;
  },
  checks: () => [expect.errno('hostTid', 'EPERM')],
};

export const chosenTidInUsedNamespace: SpecClaim = {
  key: 'set-tid-chosen',
  kinds: ['pid'],
  claim: 'in a PID namespace that has an init, clone3 set_tid={77} gives the child PID 77 there',
  specIds: ['CLONE-13'],
  manPage: 'clone(2) "The set_tid array"',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    inNewPidNamespace(s, (init) => setTid(init, 'chosen', 0, [CHOSEN_PID]));
    return s;
  },
  checks: () => [
    expect.ok('init'),
    expect.ret('chosen', CHOSEN_PID, "clone3 returns the PID in the caller's namespace"),
    expect.equals(at('chosen', 'code'), CHOSEN_PID, "the child's own getpid() (its exit code)"),
    expect.exitCode('initExit', 0),
  ],
};
