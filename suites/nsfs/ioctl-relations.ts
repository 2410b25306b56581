// NS_GET_USERNS and NS_GET_PARENT: owners and parents of namespaces, and their errors — ioctl_ns(2) "Discovering namespace relationships".
import {
  type Check,
  CLONE,
  expect,
  F_GETFD,
  F_GETFL,
  FD_CLOEXEC,
  NS_IOCTL,
  ref,
  Script,
  type SpecClaim,
} from '../../harness/kit.ts';

const { at } = expect;

export const owningUserNamespace: SpecClaim = {
  key: 'get-userns-owner',
  kinds: ['uts'],
  claim:
    'NS_GET_USERNS on a UTS namespace descriptor returns a read-only, close-on-exec descriptor for the user namespace that owns it',
  specIds: ['IOC-01', 'IOC-07'],
  manPage: 'ioctl_ns(2) "Discovering namespace relationships"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.sys('unshare', 'unshare', CLONE.NEWUTS);
    s.stat('userLink', '/proc/self/ns/user');
    s.open('uts', '/proc/self/ns/uts');
    s.sys('owner', 'ioctl', ref('uts'), NS_IOCTL.GET_USERNS);
    s.fstat('ownerStat', 'owner');
    s.sys('flags', 'fcntl', ref('owner'), F_GETFL);
    s.sys('fdFlags', 'fcntl', ref('owner'), F_GETFD);
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.ok('owner'),
    expect.same(at('userLink', 'ino'), at('ownerStat', 'ino')),
    expect.same(at('userLink', 'dev'), at('ownerStat', 'dev')),
    expect.matches(at('flags', 'r'), /^(0|32768)$/, 'O_RDONLY (O_LARGEFILE may be set)'),
    expect.ret('fdFlags', FD_CLOEXEC),
  ],
};

export const userNamespaceParent: SpecClaim = {
  key: 'userns-parent',
  kinds: ['user'],
  claim: 'on a user namespace descriptor NS_GET_USERNS and NS_GET_PARENT both return the parent user namespace',
  specIds: ['IOC-02'],
  manPage: 'ioctl_ns(2) "Discovering namespace relationships"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.stat('parentLink', '/proc/self/ns/user');
    s.fork('child', 'clone3', CLONE.NEWUSER, (c) => c.await('hold', 0));
    s.open('childUser', '/proc/{child}/ns/user');
    s.sys('viaUserns', 'ioctl', ref('childUser'), NS_IOCTL.GET_USERNS);
    s.fstat('usernsStat', 'viaUserns');
    s.sys('viaParent', 'ioctl', ref('childUser'), NS_IOCTL.GET_PARENT);
    s.fstat('parentStat', 'viaParent');
    s.post('release', 0);
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.ok('viaUserns'),
    expect.ok('viaParent'),
    expect.same(at('parentLink', 'ino'), at('usernsStat', 'ino')),
    expect.same(at('parentLink', 'ino'), at('parentStat', 'ino')),
  ],
};

export const pidNamespaceParent: SpecClaim = {
  key: 'pidns-parent',
  kinds: ['pid'],
  claim: 'NS_GET_PARENT on a child PID namespace returns the PID namespace it was created in',
  specIds: ['IOC-03'],
  manPage: 'ioctl_ns(2) "Discovering namespace relationships"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.stat('ownPid', '/proc/self/ns/pid');
    s.fork('child', 'clone3', CLONE.NEWPID, (c) => c.await('hold', 0));
    s.open('childPid', '/proc/{child}/ns/pid');
    s.sys('parent', 'ioctl', ref('childPid'), NS_IOCTL.GET_PARENT);
    s.fstat('parentStat', 'parent');
    s.post('release', 0);
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [expect.ok('parent'), expect.same(at('ownPid', 'ino'), at('parentStat', 'ino'))],
};

const NON_HIERARCHICAL = ['uts', 'ipc', 'net', 'mnt', 'cgroup', 'time'] as const;

export const noParentForFlatKinds: SpecClaim = {
  key: 'no-parent-for-flat-kinds',
  kinds: [],
  claim: 'NS_GET_PARENT on a uts, ipc, net, mnt, cgroup or time namespace gives EINVAL',
  specIds: ['IOC-04'],
  manPage: 'ioctl_ns(2) ERRORS',
  priv: 'A',
  script: () => {
    const s = new Script();
    for (const kind of NON_HIERARCHICAL) {
      s.open(`fd_${kind}`, `/proc/self/ns/${kind}`);
      s.sys(`parent_${kind}`, 'ioctl', ref(`fd_${kind}`), NS_IOCTL.GET_PARENT);
    }
    return s;
  },
  checks: () => NON_HIERARCHICAL.map((kind): Check => expect.errno(`parent_${kind}`, 'EINVAL')),
};

export const initialNamespacesHaveNoParent: SpecClaim = {
  key: 'initial-has-no-parent',
  kinds: ['pid', 'user'],
  claim: 'NS_GET_PARENT on the initial user namespace and on the initial PID namespace gives EPERM',
  specIds: ['IOC-05'],
  manPage: 'ioctl_ns(2) ERRORS',
  priv: 'A',
  needs: [{ kind: 'initial-user-ns' }],
  script: () => {
    const s = new Script();
    s.open('user', '/proc/self/ns/user');
    s.sys('userParent', 'ioctl', ref('user'), NS_IOCTL.GET_PARENT);
    s.read('nspid', '/proc/self/status');
    s.open('pid', '/proc/self/ns/pid');
    s.sys('pidParent', 'ioctl', ref('pid'), NS_IOCTL.GET_PARENT);
    return s;
  },
  checks: () => [
    expect.errno('userParent', 'EPERM'),
    expect.matches(
      at('nspid', 'text'),
      /\nNSpid:\t\d+\n/,
      'the runner is in the initial PID namespace (one NSpid field)',
    ),
    expect.errno('pidParent', 'EPERM'),
  ],
};

export const answersOutsideScopeAreEperm: SpecClaim = {
  key: 'out-of-scope-eperm',
  kinds: ['user', 'uts'],
  claim:
    "from inside a new user namespace, the owner of a namespace owned outside it and the parent of the caller's own user namespace give EPERM",
  specIds: ['IOC-06'],
  manPage: 'ioctl_ns(2) ERRORS',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.open('hostUts', '/proc/self/ns/uts');
    s.becomeRoot('p', who);
    s.open('ownUser', '/proc/self/ns/user');
    s.sys('owner', 'ioctl', ref('hostUts'), NS_IOCTL.GET_USERNS);
    s.sys('parent', 'ioctl', ref('ownUser'), NS_IOCTL.GET_PARENT);
    return s;
  },
  checks: () => [expect.ok('pUnshare'), expect.errno('owner', 'EPERM'), expect.errno('parent', 'EPERM')],
};
