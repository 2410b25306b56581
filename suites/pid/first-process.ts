// The namespace init and its children: PIDs, getppid and NSpid, by clone, unshare and setns — pid_namespaces(7).
import { CLONE, expect, Script, type SpecClaim } from '../../harness/kit.ts';

const { at } = expect;
/** The parent's PID for a process whose innermost NSpid is 1: the field just before the last. */
const OUTER_OF_INIT = /NSpid:(?:\t\d+)*\t(\d+)\t1\n/;
const OUTER_TGID_OF_INIT = /NStgid:(?:\t\d+)*\t(\d+)\t1\n/;

export const cloneChildIsInit: SpecClaim = {
  key: 'clone-child-is-init',
  kinds: ['pid'],
  claim:
    'the clone(CLONE_NEWPID) child is PID 1 with getppid() 0, its child gets another PID with getppid() 1, and the parent knows the init by its own PID (NSpid and NStgid "X 1")',
  specIds: ['PID-01', 'PID-02', 'PID-03', 'PID-04'],
  manPage: 'pid_namespaces(7) "The namespace init process", "Nesting PID namespaces"; proc(5) /proc/pid/status',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.fork('init', 'clone3', CLONE.NEWPID, (c) => {
      c.sys('initPid', 'getpid');
      c.sys('initPpid', 'getppid');
      c.fork('second', 'clone3', 0, (g) => {
        g.sys('secondPid', 'getpid');
        g.sys('secondPpid', 'getppid');
      });
      c.wait('secondExit', 'second');
      c.post('initReady', 0);
      c.await('initRelease', 1);
    });
    s.await('ready', 0);
    // Read while the init is alive: the parent's /proc (the parent's namespace) shows NSpid outermost first.
    s.read('initStatus', '/proc/{init}/status');
    s.post('release', 1);
    s.wait('initExit', 'init');
    return s;
  },
  checks: () => [
    expect.ok('init'),
    expect.ret('initPid', 1, 'the first process of the namespace'),
    expect.ret('initPpid', 0, "the init's parent is outside the namespace"),
    expect.same(at('second', 'r'), at('secondPid', 'r'), "the init's fork result is the child's own getpid"),
    expect.differ(at('initPid', 'r'), at('secondPid', 'r'), 'PIDs are unique within the namespace'),
    expect.ret('secondPpid', 1, 'children of the init see getppid() 1'),
    expect.exitCode('secondExit', 0),
    expect.same(
      at('init', 'r'),
      at('initStatus', 'text', OUTER_OF_INIT),
      'NSpid as the parent reads it: its own PID for the child, then 1',
    ),
    expect.same(at('init', 'r'), at('initStatus', 'text', OUTER_TGID_OF_INIT), 'NStgid likewise'),
    expect.exitCode('initExit', 0),
  ],
};

export const unshareFirstChildIsInit: SpecClaim = {
  key: 'unshare-first-child-is-init',
  kinds: ['pid'],
  claim:
    'after unshare(CLONE_NEWPID) the caller keeps its PID and PID namespace, a second unshare(CLONE_NEWPID) gives EINVAL, pid_for_children names the new namespace, and the first child is its PID 1 with getppid() 0',
  specIds: ['PID-01', 'PID-02', 'UNS-03', 'UNS-04'],
  manPage: 'pid_namespaces(7) "The namespace init process"; unshare(2) CLONE_NEWPID, ERRORS EINVAL',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.sys('pidBefore', 'getpid');
    s.readlink('nsBefore', '/proc/self/ns/pid');
    s.sys('unshare', 'unshare', CLONE.NEWPID);
    s.sys('again', 'unshare', CLONE.NEWPID);
    s.sys('pidAfter', 'getpid');
    s.readlink('nsAfter', '/proc/self/ns/pid');
    s.fork('first', 'clone3', 0, (c) => {
      c.sys('firstPid', 'getpid');
      c.sys('firstPpid', 'getppid');
      c.readlink('firstNs', '/proc/self/ns/pid');
      c.post('firstReady', 0);
      c.await('firstRelease', 1);
    });
    s.await('ready', 0);
    // pid_for_children has a value once the first child exists (before that: ENOENT, spec D1).
    s.readlink('forChildren', '/proc/self/ns/pid_for_children');
    s.post('release', 1);
    s.wait('firstExit', 'first');
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.errno('again', 'EINVAL', 'a second unshare(CLONE_NEWPID) by the same process'),
    expect.same(at('pidBefore', 'r'), at('pidAfter', 'r'), 'getpid() is unchanged by unshare'),
    expect.same(at('nsBefore', 'text'), at('nsAfter', 'text'), 'the caller stays in its PID namespace'),
    expect.ret('firstPid', 1, 'the first child after unshare is PID 1'),
    expect.ret('firstPpid', 0, 'its parent is outside the namespace'),
    expect.same(
      at('firstNs', 'text'),
      at('forChildren', 'text'),
      "the caller's pid_for_children is the child's namespace",
    ),
    expect.differ(
      at('nsAfter', 'text'),
      at('forChildren', 'text'),
      'pid_for_children differs from the caller’s own PID namespace',
    ),
    expect.exitCode('firstExit', 0),
  ],
};

export const setnsChildrenSeeNoParent: SpecClaim = {
  key: 'setns-children-ppid-zero',
  kinds: ['pid'],
  claim:
    'after setns() into a PID namespace the caller keeps its PID and namespace, pid_for_children names the target, and its next child is a member with a PID other than 1 and getppid() 0',
  specIds: ['PID-06', 'SETNS-06'],
  manPage: 'pid_namespaces(7) "Nesting PID namespaces"; setns(2) CLONE_NEWPID',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.sys('pidBefore', 'getpid');
    s.readlink('nsBefore', '/proc/self/ns/pid');
    s.fork('init', 'clone3', CLONE.NEWPID, (c) => {
      c.readlink('initNs', '/proc/self/ns/pid');
      c.post('initReady', 0);
      c.await('initRelease', 1);
    });
    s.await('ready', 0);
    s.open('nsFd', '/proc/{init}/ns/pid');
    s.setns('join', 'nsFd', CLONE.NEWPID);
    s.sys('pidAfter', 'getpid');
    s.readlink('nsAfter', '/proc/self/ns/pid');
    s.readlink('forChildren', '/proc/self/ns/pid_for_children');
    s.fork('joined', 'clone3', 0, (c) => {
      c.sys('joinedPid', 'getpid');
      c.sys('joinedPpid', 'getppid');
      c.readlink('joinedNs', '/proc/self/ns/pid');
    });
    // Reap the member before the init can finish exiting (spec note 5).
    s.wait('joinedExit', 'joined');
    s.post('release', 1);
    s.wait('initExit', 'init');
    return s;
  },
  checks: () => [
    expect.ok('join'),
    expect.same(at('pidBefore', 'r'), at('pidAfter', 'r'), 'setns() does not change getpid()'),
    expect.same(at('nsBefore', 'text'), at('nsAfter', 'text'), 'nor the caller’s own PID namespace'),
    expect.same(at('initNs', 'text'), at('forChildren', 'text'), 'pid_for_children names the joined namespace'),
    expect.same(at('initNs', 'text'), at('joinedNs', 'text'), 'the next child is a member of it'),
    expect.compare(at('joinedPid', 'r'), '>', 1, 'a member, not the init'),
    expect.ret('joinedPpid', 0, 'its parent is outside the namespace'),
    expect.exitCode('joinedExit', 0),
    expect.exitCode('initExit', 0),
  ],
};
