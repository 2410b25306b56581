// Joining a namespace through a /proc/[pid]/ns descriptor, and the descriptor and nstype errors — setns(2).
import { CLONE, expect, Script, type SpecClaim, str } from '../../harness/kit.ts';
import { holdNamespaces, releaseHolder } from './steps.ts';

const HOSTNAME = '/proc/sys/kernel/hostname';
const JOINED_NAME = 'nsconform-setns';
const { at } = expect;

export const joinsWhatTheFdNames: SpecClaim = {
  key: 'fd-nstype-zero-joins',
  kinds: ['uts'],
  claim:
    "setns(fd, 0) joins the namespace the descriptor refers to: afterwards uname and /proc/sys/kernel/hostname give that UTS namespace's hostname",
  specIds: ['SETNS-01'],
  manPage: 'setns(2) DESCRIPTION',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    holdNamespaces(s, 'owner', CLONE.NEWUTS, 0, (owner) => {
      owner.sys('setHost', 'sethostname', str(JOINED_NAME), JOINED_NAME.length);
    });
    s.open('utsFd', '/proc/{owner}/ns/uts');
    s.fork('joiner', 'clone3', 0, (c) => {
      c.read('hostBefore', HOSTNAME);
      c.setns('join', 'utsFd', 0);
      c.read('hostAfter', HOSTNAME);
      c.facts('joinedFacts');
    });
    s.wait('joinerExit', 'joiner');
    releaseHolder(s, 'owner', 0);
    return s;
  },
  checks: () => [
    expect.ok('setHost'),
    expect.differ(at('hostBefore', 'text'), at('hostAfter', 'text'), 'the joiner started in another UTS namespace'),
    expect.ok('join'),
    expect.equals(at('hostAfter', 'text'), `${JOINED_NAME}\n`),
    expect.equals(at('joinedFacts', 'facts.hostname'), JOINED_NAME, 'uname(2) after setns'),
  ],
};

export const wrongTypeGivesEinval: SpecClaim = {
  key: 'fd-wrong-nstype',
  kinds: ['uts'],
  claim:
    'setns with a UTS namespace descriptor and an nstype of another kind (CLONE_NEWNET, CLONE_NEWIPC) gives EINVAL, even to a caller that may join it with CLONE_NEWUTS',
  specIds: ['SETNS-02'],
  manPage: 'setns(2) ERRORS EINVAL',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    holdNamespaces(s, 'owner', CLONE.NEWUTS, 0);
    s.open('utsFd', '/proc/{owner}/ns/uts');
    s.fork('joiner', 'clone3', 0, (c) => {
      c.setns('asNet', 'utsFd', CLONE.NEWNET);
      c.setns('asIpc', 'utsFd', CLONE.NEWIPC);
      c.setns('asUts', 'utsFd', CLONE.NEWUTS);
    });
    s.wait('joinerExit', 'joiner');
    releaseHolder(s, 'owner', 0);
    return s;
  },
  checks: () => [
    expect.errno('asNet', 'EINVAL'),
    expect.errno('asIpc', 'EINVAL'),
    expect.ok('asUts', 'the matching nstype is accepted from the same context'),
  ],
};

export const badDescriptors: SpecClaim = {
  key: 'fd-not-a-namespace',
  kinds: [],
  claim:
    'setns with a descriptor that is not open gives EBADF; with an open regular file, which is neither a namespace nor a PID file descriptor, it gives EINVAL',
  specIds: ['SETNS-03'],
  manPage: 'setns(2) ERRORS EBADF, EINVAL',
  priv: 'A',
  script: () => {
    const s = new Script();
    s.sys('closedAny', 'setns', -1, 0);
    s.sys('closedUts', 'setns', -1, CLONE.NEWUTS);
    s.open('file', '/proc/self/status');
    s.setns('regularAny', 'file', 0);
    s.setns('regularUts', 'file', CLONE.NEWUTS);
    return s;
  },
  checks: () => [
    expect.errno('closedAny', 'EBADF'),
    expect.errno('closedUts', 'EBADF'),
    expect.ok('file'),
    expect.errno('regularAny', 'EINVAL'),
    expect.errno('regularUts', 'EINVAL'),
  ],
};

export const ownUserNamespace: SpecClaim = {
  key: 'fd-own-user-ns',
  kinds: ['user'],
  claim: "setns into the caller's own user namespace gives EINVAL",
  specIds: ['SETNS-04'],
  manPage: 'setns(2) "User namespaces"; ERRORS EINVAL',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.open('ownUser', '/proc/self/ns/user');
    s.setns('asUser', 'ownUser', CLONE.NEWUSER);
    s.setns('anyType', 'ownUser', 0);
    return s;
  },
  checks: () => [expect.ok('ownUser'), expect.errno('asUser', 'EINVAL'), expect.errno('anyType', 'EINVAL')],
};

export const pidJoinOnlyForChildren: SpecClaim = {
  key: 'fd-pid-for-children',
  kinds: ['pid'],
  claim:
    'setns into a PID namespace changes only pid_for_children: the caller keeps its PID and ns/pid, and its next child is PID 2 there with getppid() 0',
  specIds: ['SETNS-06'],
  manPage: 'setns(2) "PID namespaces"; pid_namespaces(7)',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    holdNamespaces(s, 'init', CLONE.NEWPID, 0);
    s.open('pidFd', '/proc/{init}/ns/pid');
    s.stat('targetNs', '/proc/{init}/ns/pid');
    s.fork('joiner', 'clone3', 0, (c) => {
      c.sys('pidBefore', 'getpid');
      c.stat('nsBefore', '/proc/self/ns/pid');
      c.setns('join', 'pidFd', CLONE.NEWPID);
      c.sys('pidAfter', 'getpid');
      c.stat('nsAfter', '/proc/self/ns/pid');
      c.stat('forChildren', '/proc/self/ns/pid_for_children');
      c.fork('member', 'clone3', 0, (m) => {
        m.sys('memberPid', 'getpid');
        m.sys('memberPpid', 'getppid');
      });
      // The member's parent is outside the namespace: reap it before the init goes (spec note 5).
      c.wait('memberExit', 'member');
    });
    s.wait('joinerExit', 'joiner');
    releaseHolder(s, 'init', 0);
    return s;
  },
  checks: () => [
    expect.ok('join'),
    expect.same(at('pidBefore'), at('pidAfter'), 'getpid() is unchanged'),
    expect.same(at('nsBefore', 'ino'), at('nsAfter', 'ino'), 'ns/pid is unchanged'),
    expect.same(at('targetNs', 'ino'), at('forChildren', 'ino'), 'pid_for_children is the joined namespace'),
    expect.equals(at('memberPid'), 2),
    expect.equals(at('memberPpid'), 0),
  ],
};
