// Who may create namespaces with clone/clone3/unshare, and when CLONE_NEWUSER is refused — clone(2), unshare(2) ERRORS EPERM.
import { CLONE, expect, NAMESPACES, Script, type SpecClaim, str } from '../../harness/kit.ts';
import { failingClone, failingClone3 } from './ops.ts';

const { at } = expect;
/** The flags clone(2) lists as needing CAP_SYS_ADMIN without CLONE_NEWUSER (CLONE_NEWTIME cannot be passed to clone()). */
const PRIVILEGED = NAMESPACES.filter(({ name }) => name !== 'user' && name !== 'time');

export const unprivilegedNeedsNewUser: SpecClaim = {
  key: 'eperm-without-newuser',
  kinds: ['mnt', 'uts', 'ipc', 'pid', 'net', 'cgroup', 'time'],
  claim:
    'a caller without CAP_SYS_ADMIN gets EPERM from clone, clone3 and unshare for CLONE_NEWCGROUP, NEWIPC, NEWNET, NEWNS, NEWPID and NEWUTS without CLONE_NEWUSER, and from unshare(CLONE_NEWTIME)',
  specIds: ['CLONE-02'],
  manPage: 'clone(2) ERRORS EPERM; unshare(2) ERRORS EPERM',
  priv: 'N',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: () => {
    const s = new Script();
    for (const { name: kind, flag } of PRIVILEGED) {
      failingClone(s, `clone_${kind}`, flag);
      failingClone3(s, `clone3_${kind}`, flag);
      s.sys(`unshare_${kind}`, 'unshare', flag);
    }
    s.sys('unshare_time', 'unshare', CLONE.NEWTIME);
    return s;
  },
  checks: () => [
    ...PRIVILEGED.flatMap(({ name: kind }) => [
      expect.errno(`clone_${kind}`, 'EPERM'),
      expect.errno(`clone3_${kind}`, 'EPERM'),
      expect.errno(`unshare_${kind}`, 'EPERM'),
    ]),
    expect.errno('unshare_time', 'EPERM'),
  ],
};

export const unmappedCallerCannotNest: SpecClaim = {
  key: 'newuser-needs-mapped-ids',
  kinds: ['user'],
  claim:
    "CLONE_NEWUSER gives EPERM (clone, clone3, unshare) while the caller's uid and gid have no mapping in its user namespace, and works once they are mapped",
  specIds: ['CLONE-04'],
  manPage: 'clone(2) ERRORS EPERM; unshare(2) ERRORS EPERM',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.sys('unmapped', 'unshare', CLONE.NEWUSER);
    s.sys('nestUnshare', 'unshare', CLONE.NEWUSER);
    failingClone(s, 'nestClone', CLONE.NEWUSER);
    failingClone3(s, 'nestClone3', CLONE.NEWUSER);
    // The contrast: with its own ids mapped, the same caller may nest.
    s.mapIds('m', 'self', who.uid, who.gid);
    s.probe('mappedNest', CLONE.NEWUSER);
    return s;
  },
  checks: () => [
    expect.ok('unmapped'),
    expect.errno('nestUnshare', 'EPERM'),
    expect.errno('nestClone', 'EPERM'),
    expect.errno('nestClone3', 'EPERM'),
    expect.ok('mUidMap'),
    expect.ok('mGidMap'),
    expect.ok('mappedNest', 'unshare(CLONE_NEWUSER) after the maps are written'),
  ],
};

export const chrootedCallerCannotNest: SpecClaim = {
  key: 'newuser-refused-when-chrooted',
  kinds: ['user', 'mnt'],
  claim:
    'CLONE_NEWUSER gives EPERM (clone, clone3, unshare) to a caller whose root is not the root of its mount namespace',
  specIds: ['CLONE-05'],
  manPage: 'clone(2) ERRORS EPERM; unshare(2) ERRORS EPERM',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who, CLONE.NEWNS);
    s.probe('beforeChroot', CLONE.NEWUSER);
    s.sys('chroot', 'chroot', str('{scratch}'));
    s.sys('nestUnshare', 'unshare', CLONE.NEWUSER);
    failingClone(s, 'nestClone', CLONE.NEWUSER);
    failingClone3(s, 'nestClone3', CLONE.NEWUSER);
    return s;
  },
  checks: () => [
    expect.ok('pUnshare'),
    expect.ok('beforeChroot', 'the same caller may create a user namespace before chroot'),
    expect.ok('chroot'),
    expect.errno('nestUnshare', 'EPERM'),
    expect.errno('nestClone', 'EPERM'),
    expect.errno('nestClone3', 'EPERM'),
  ],
};

export const unshareWithNewUserUnprivileged: SpecClaim = {
  key: 'unshare-newuser-plus-others',
  kinds: ['mnt', 'pid', 'net', 'user', 'time'],
  claim:
    'a caller without capabilities may unshare(CLONE_NEWUSER|NEWNET|NEWNS|NEWPID|NEWTIME): it gets new user, net and mount namespaces and its next child new PID and time namespaces',
  specIds: ['COMBO-04'],
  manPage: 'unshare(2) NOTES',
  priv: 'N',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: () => {
    const s = new Script();
    for (const kind of ['user', 'net', 'mnt', 'pid', 'time']) s.readlink(`before_${kind}`, `/proc/self/ns/${kind}`);
    s.sys('unshare', 'unshare', CLONE.NEWUSER | CLONE.NEWNET | CLONE.NEWNS | CLONE.NEWPID | CLONE.NEWTIME);
    for (const kind of ['user', 'net', 'mnt']) s.readlink(`after_${kind}`, `/proc/self/ns/${kind}`);
    // The PID and time namespaces are the ones for children: a child shows them.
    s.fork('child', 'clone3', 0, (c) => {
      c.readlink('after_pid', '/proc/self/ns/pid');
      c.readlink('after_time', '/proc/self/ns/time');
    });
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    ...['user', 'net', 'mnt', 'pid', 'time'].map((kind) =>
      expect.differ(at(`before_${kind}`, 'text'), at(`after_${kind}`, 'text'), `/proc/[pid]/ns/${kind}`),
    ),
    expect.exitCode('childExit', 0),
  ],
};

export const privilegeCheckedFirst: SpecClaim = {
  key: 'eperm-before-einval',
  kinds: ['ipc', 'pid'],
  claim:
    'without CAP_SYS_ADMIN and without CLONE_NEWUSER, CLONE_NEWIPC|CLONE_SYSVSEM and CLONE_NEWPID|CLONE_PARENT give EPERM: the privilege check comes before the combination rules',
  specIds: ['COMBO-10', 'COMBO-09'],
  manPage: 'clone(2) ERRORS EINVAL, EPERM',
  priv: 'N',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: () => {
    const s = new Script();
    failingClone(s, 'ipcSemClone', CLONE.NEWIPC | CLONE.SYSVSEM);
    failingClone3(s, 'ipcSemClone3', CLONE.NEWIPC | CLONE.SYSVSEM);
    failingClone(s, 'pidParentClone', CLONE.NEWPID | CLONE.PARENT);
    failingClone3(s, 'pidParentClone3', CLONE.NEWPID | CLONE.PARENT, 0);
    return s;
  },
  checks: () => [
    expect.errno('ipcSemClone', 'EPERM'),
    expect.errno('ipcSemClone3', 'EPERM'),
    expect.errno('pidParentClone', 'EPERM'),
    expect.errno('pidParentClone3', 'EPERM'),
  ],
};
