// Who may join which namespace: capabilities over the target's owner, ancestors and descendants — setns(2); user_namespaces(7).
import { allCapsBut, CLONE, expect, Script, type SpecClaim } from '../../harness/kit.ts';
import { FULL_CAPABILITIES, holdNamespaces, releaseHolder } from './steps.ts';

const { at } = expect;
/** The kinds whose setns needs CAP_SYS_ADMIN both in the caller's user namespace and over the target's owner. */
const ADMIN_KINDS = ['cgroup', 'ipc', 'net', 'pid', 'time', 'uts'] as const;
const FLAG_OF = {
  cgroup: CLONE.NEWCGROUP,
  ipc: CLONE.NEWIPC,
  net: CLONE.NEWNET,
  pid: CLONE.NEWPID,
  time: CLONE.NEWTIME,
  uts: CLONE.NEWUTS,
} as const;

export const ancestorPidNamespace: SpecClaim = {
  key: 'pid-ancestor',
  kinds: ['user', 'pid'],
  claim:
    'setns into an ancestor PID namespace gives EINVAL to a caller with CAP_SYS_ADMIN over its owner, and EPERM to one without it (the privilege check comes first)',
  specIds: ['SETNS-05'],
  manPage: 'setns(2) "PID namespaces"; ERRORS EINVAL, EPERM; pid_namespaces(7)',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.open('hostPid', '/proc/self/ns/pid');
    s.becomeRoot('p', who);
    s.sys('unshare', 'unshare', CLONE.NEWPID);
    s.fork('init1', 'clone3', 0, (init1) => {
      init1.open('parentPid', '/proc/self/ns/pid');
      init1.sys('unshareAgain', 'unshare', CLONE.NEWPID);
      init1.fork('init2', 'clone3', 0, (init2) => {
        init2.setns('toParent', 'parentPid', CLONE.NEWPID);
        init2.setns('toHost', 'hostPid', CLONE.NEWPID);
      });
      init1.wait('init2Exit', 'init2');
    });
    s.wait('init1Exit', 'init1');
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.ok('unshareAgain'),
    expect.errno('toParent', 'EINVAL', 'the parent PID namespace is owned by the user namespace the caller is root in'),
    expect.errno(
      'toHost',
      'EPERM',
      'the host PID namespace is owned by a user namespace where the caller has no capabilities',
    ),
  ],
};

export const userNamespaceDescendantsOnly: SpecClaim = {
  key: 'user-descendants-only',
  kinds: ['user'],
  claim:
    'a process may join a child user namespace, where it gets a full capability set, but from there joining the user namespace it came from (an ancestor) gives EPERM',
  specIds: ['SETNS-07'],
  manPage: 'setns(2) "User namespaces"; user_namespaces(7) "Capabilities"',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.open('startUser', '/proc/self/ns/user');
    holdNamespaces(s, 'child', CLONE.NEWUSER, 0);
    s.open('childUser', '/proc/{child}/ns/user');
    s.stat('childNs', '/proc/{child}/ns/user');
    s.fork('joiner', 'clone3', 0, (c) => {
      c.setns('join', 'childUser', CLONE.NEWUSER);
      c.facts('joined');
      c.setns('back', 'startUser', CLONE.NEWUSER);
    });
    s.wait('joinerExit', 'joiner');
    releaseHolder(s, 'child', 0);
    return s;
  },
  checks: () => [
    expect.ok('join'),
    expect.same(at('childNs', 'ino'), at('joined', 'facts.ns.user.ino'), 'the joiner is in the child user namespace'),
    expect.matches(at('joined', 'facts.caps.eff'), FULL_CAPABILITIES, 'CapEff after joining'),
    expect.errno('back', 'EPERM'),
  ],
};

export const userJoinNeedsOwnThreadAndFs: SpecClaim = {
  key: 'user-mnt-join-single-owner',
  kinds: ['user', 'mnt'],
  claim:
    'a multithreaded caller gets EINVAL joining a user namespace, and a caller sharing filesystem attributes (clone CLONE_FS) gets EINVAL joining a user or a mount namespace that a lone caller joins',
  specIds: ['SETNS-08', 'SETNS-09'],
  manPage: 'setns(2) "User namespaces", "Mount namespaces"; ERRORS EINVAL',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    holdNamespaces(s, 'userOwner', CLONE.NEWUSER, 0);
    holdNamespaces(s, 'mntOwner', CLONE.NEWNS, 2);
    s.open('userFd', '/proc/{userOwner}/ns/user');
    s.open('mntFd', '/proc/{mntOwner}/ns/mnt');
    s.fork('threaded', 'clone3', 0, (c) => {
      c.thread('secondThread');
      c.setns('threadedUser', 'userFd', CLONE.NEWUSER);
    });
    s.wait('threadedExit', 'threaded');
    s.fork('sharer', 'clone', CLONE.FS, (c) => {
      c.setns('sharerUser', 'userFd', CLONE.NEWUSER);
      c.setns('sharerMnt', 'mntFd', CLONE.NEWNS);
    });
    s.wait('sharerExit', 'sharer');
    // The same joins from a single-threaded process that shares nothing: the EINVALs are about sharing.
    s.fork('lone', 'clone3', 0, (c) => {
      c.setns('loneMnt', 'mntFd', CLONE.NEWNS);
      c.setns('loneUser', 'userFd', CLONE.NEWUSER);
    });
    s.wait('loneExit', 'lone');
    releaseHolder(s, 'mntOwner', 2);
    releaseHolder(s, 'userOwner', 0);
    return s;
  },
  checks: () => [
    expect.ok('secondThread'),
    expect.errno('threadedUser', 'EINVAL'),
    expect.errno('sharerUser', 'EINVAL'),
    expect.errno('sharerMnt', 'EINVAL'),
    expect.ok('loneMnt'),
    expect.ok('loneUser'),
  ],
};

const CAP_SYS_CHROOT = 18;

export const mountJoinNeedsChroot: SpecClaim = {
  key: 'mnt-needs-sys-chroot',
  kinds: ['user', 'mnt'],
  claim:
    'joining a mount namespace needs CAP_SYS_CHROOT besides CAP_SYS_ADMIN: with CAP_SYS_CHROOT dropped from the effective set setns gives EPERM, and succeeds once it is raised again',
  specIds: ['SETNS-10'],
  manPage: 'setns(2) "Mount namespaces"; capabilities(7) CAP_SYS_CHROOT',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    // Always root in a new user namespace: its permitted set is full, so capset can raise what it dropped.
    s.becomeRoot('p', who);
    holdNamespaces(s, 'mntOwner', CLONE.NEWNS, 0);
    s.open('mntFd', '/proc/{mntOwner}/ns/mnt');
    s.stat('targetMnt', '/proc/{mntOwner}/ns/mnt');
    s.fork('joiner', 'clone3', 0, (c) => {
      c.sys('drop', 'capset', ...allCapsBut(CAP_SYS_CHROOT));
      c.setns('without', 'mntFd', CLONE.NEWNS);
      c.sys('raise', 'capset', ...allCapsBut());
      c.setns('with', 'mntFd', CLONE.NEWNS);
      c.stat('joinedMnt', '/proc/self/ns/mnt');
    });
    s.wait('joinerExit', 'joiner');
    releaseHolder(s, 'mntOwner', 0);
    return s;
  },
  checks: () => [
    expect.ok('drop'),
    expect.errno('without', 'EPERM'),
    expect.ok('raise'),
    expect.ok('with'),
    expect.same(at('targetMnt', 'ino'), at('joinedMnt', 'ino')),
  ],
};

export const adminOverOwnerNeeded: SpecClaim = {
  key: 'admin-over-owner',
  kinds: ['user', 'ipc', 'net', 'pid', 'cgroup', 'uts', 'time'],
  claim:
    'root in a new user namespace gets EPERM from setns into the cgroup, IPC, network, PID, time and UTS namespaces owned by the parent user namespace',
  specIds: ['SETNS-11'],
  manPage: 'setns(2) per-type sections; ERRORS EPERM',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    for (const kind of ADMIN_KINDS) s.open(`${kind}Fd`, `/proc/self/ns/${kind}`);
    s.becomeRoot('p', who);
    for (const kind of ADMIN_KINDS) s.setns(`${kind}Join`, `${kind}Fd`, FLAG_OF[kind]);
    return s;
  },
  checks: () => [expect.ok('pUnshare'), ...ADMIN_KINDS.map((kind) => expect.errno(`${kind}Join`, 'EPERM'))],
};

export const adminInOwnNamespaceNeeded: SpecClaim = {
  key: 'admin-in-caller-ns',
  kinds: ['ipc', 'net', 'pid', 'cgroup', 'uts', 'time'],
  claim:
    'a process without CAP_SYS_ADMIN in its own user namespace gets EPERM from setns into cgroup, IPC, network, PID, time and UTS namespaces, even the ones it is in',
  specIds: ['SETNS-11'],
  manPage: 'setns(2) per-type sections; ERRORS EPERM',
  priv: 'N',
  script: () => {
    const s = new Script();
    for (const kind of ADMIN_KINDS) {
      s.open(`${kind}Fd`, `/proc/self/ns/${kind}`);
      s.setns(`${kind}Join`, `${kind}Fd`, FLAG_OF[kind]);
    }
    return s;
  },
  checks: () => ADMIN_KINDS.map((kind) => expect.errno(`${kind}Join`, 'EPERM')),
};
