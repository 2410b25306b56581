// What a new mount namespace starts with and who sees its mount changes — mount_namespaces(7); proc(5) /proc/pid/mounts, mountinfo, root.
import { CLONE, expect, MS, O, ref, Script, type SpecClaim, str } from '../../harness/kit.ts';
import { compareTables, mkdir, mounts, pollPri, tmpfs, under, umount } from './steps.ts';

const { at } = expect;

export const startsWithCopy: SpecClaim = {
  key: 'starts-with-copy',
  kinds: ['mnt'],
  claim:
    'a new mount namespace, from clone or from unshare, starts with the same mount points as the one it was made from, and every mount in it has a new mount ID',
  specIds: ['MNT-01'],
  manPage: 'mount_namespaces(7) DESCRIPTION',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    // The original is a namespace of the script's own, so nobody else's mount can change it during the comparison.
    s.privileged('p', who, CLONE.NEWNS);
    s.fork('cloned', 'clone3', CLONE.NEWNS, (c) => {
      c.post('clonedReady', 0);
      c.await('clonedDone', 1);
    });
    s.fork('unsharer', 'clone3', 0, (c) => {
      c.sys('unshare', 'unshare', CLONE.NEWNS);
      c.post('unsharedReady', 2);
      c.await('unsharedDone', 3);
    });
    s.await('waitCloned', 0);
    s.await('waitUnshared', 2);
    compareTables(s, 'viaClone', '/proc/self/mountinfo', '/proc/{cloned}/mountinfo');
    compareTables(s, 'viaUnshare', '/proc/self/mountinfo', '/proc/{unsharer}/mountinfo');
    s.post('release', 1);
    s.post('releaseUnsharer', 3);
    s.wait('clonedExit', 'cloned');
    s.wait('unsharerExit', 'unsharer');
    return s;
  },
  checks: () => [
    expect.ok('cloned'),
    expect.ok('unshare'),
    expect.compare(at('viaClone', 'na'), '>', 0, 'the table was read'),
    expect.equals(at('viaClone', 'samePoints'), true, 'clone(CLONE_NEWNS): the same mount points'),
    expect.equals(
      at('viaClone', 'commonIds'),
      0,
      'clone(CLONE_NEWNS): no mount ID is shared with the parent namespace',
    ),
    expect.equals(
      at('viaUnshare', 'samePoints'),
      true,
      "unshare(CLONE_NEWNS): the same mount points as the caller's previous namespace",
    ),
    expect.equals(at('viaUnshare', 'commonIds'), 0, 'unshare(CLONE_NEWNS): every mount ID is new'),
  ],
};

export const changesStayInside: SpecClaim = {
  key: 'private-changes-stay-inside',
  kinds: ['mnt'],
  claim: 'under private mounts, a mount or umount in one mount namespace is not seen in the other, in either direction',
  specIds: ['MNT-02'],
  manPage: 'mount_namespaces(7) DESCRIPTION; MS_PRIVATE',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who, CLONE.NEWNS);
    mkdir(s, 'mkdirA', 'a');
    mkdir(s, 'mkdirB', 'b');
    mkdir(s, 'mkdirC', 'c');
    tmpfs(s, 'mountC', 'c');
    s.fork('child', 'clone3', CLONE.NEWNS, (c) => {
      c.await('parentMounted', 0);
      tmpfs(c, 'childMountA', 'a');
      umount(c, 'childUmountC', 'c');
      mounts(c, 'childView');
      c.post('childDone', 1);
    });
    tmpfs(s, 'parentMountB', 'b');
    s.post('mountedB', 0);
    s.await('waitChild', 1);
    mounts(s, 'parentView');
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.ok('mountC'),
    expect.ok('parentMountB'),
    expect.ok('childMountA'),
    expect.ok('childUmountC'),
    expect.equals(at('parentView', 'at.c.tags'), '', 'the mounts are private'),
    expect.equals(
      at('childView', 'list'),
      'a',
      "the child sees its own mount, not the parent's later one, and its umount took effect",
    ),
    expect.equals(at('parentView', 'list'), 'c b', "the parent sees neither the child's mount nor its umount"),
  ],
};

export const procFilesDescribeTarget: SpecClaim = {
  key: 'proc-files-describe-target',
  kinds: ['mnt'],
  claim:
    '/proc/[pid]/mountinfo, mounts and mountstats describe the mount namespace of process pid, and /proc/[pid]/root resolves paths in that namespace',
  specIds: ['MNT-03', 'MNT-04'],
  manPage: 'mount_namespaces(7); proc(5) /proc/pid/mountinfo, /proc/pid/mounts, /proc/pid/mountstats, /proc/pid/root',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    mkdir(s, 'mkdirA', 'a');
    s.fork('child', 'clone3', CLONE.NEWNS, (c) => {
      tmpfs(c, 'childMount', 'a');
      c.post('mounted', 0);
      c.await('done', 1);
    });
    s.await('waitMounted', 0);
    mounts(s, 'info', '/proc/{child}/mountinfo');
    mounts(s, 'plain', '/proc/{child}/mounts');
    mounts(s, 'stats', '/proc/{child}/mountstats');
    mounts(s, 'own', '/proc/self/mountinfo');
    s.stat('viaRoot', `/proc/{child}/root${under('a')}`);
    s.stat('direct', under('a'));
    s.stat('scratch', '{scratch}');
    s.post('release', 1);
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.ok('childMount'),
    expect.equals(at('info', 'list'), 'a', "/proc/<child>/mountinfo lists the child's mount"),
    expect.equals(at('info', 'at.a.fs'), 'tmpfs'),
    expect.equals(at('plain', 'list'), 'a', '/proc/<child>/mounts too'),
    expect.equals(at('stats', 'list'), 'a', '/proc/<child>/mountstats too'),
    expect.equals(at('own', 'list'), '', "the reader's own mountinfo does not have it"),
    expect.ok('viaRoot'),
    expect.differ(
      at('direct', 'dev'),
      at('viaRoot', 'dev'),
      "through /proc/<child>/root the path is the child's tmpfs",
    ),
    expect.same(at('scratch', 'dev'), at('direct', 'dev'), "outside, the path is still the scratch dir's file system"),
  ],
};

export const removeForeignMountPoint: SpecClaim = {
  key: 'remove-foreign-mount-point',
  kinds: ['mnt'],
  claim:
    'a directory or file that is a mount point only in another mount namespace can be removed (EBUSY only in the namespace where it is mounted), and the mount then disappears from that other namespace (since 3.18)',
  specIds: ['MNT-19'],
  manPage: 'mount_namespaces(7) "Restrictions on mount namespaces"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who, CLONE.NEWNS);
    mkdir(s, 'mkdirD', 'd');
    mkdir(s, 'mkdirE', 'e');
    s.sys('createF', 'openat', -100, str(under('f')), O.WRONLY | O.CREAT | O.CLOEXEC, 0o644);
    s.sys('createG', 'openat', -100, str(under('g')), O.WRONLY | O.CREAT | O.CLOEXEC, 0o644);
    s.fork('child', 'clone3', CLONE.NEWNS, (c) => {
      tmpfs(c, 'childMountD', 'd');
      c.sys('childBindG', 'mount', str(under('f')), str(under('g')), 0, MS.BIND, 0);
      mounts(c, 'childBefore');
      c.post('mounted', 0);
      c.await('removed', 1);
      mounts(c, 'childAfter');
    });
    s.await('waitMounted', 0);
    s.sys('rmdirD', 'rmdir', str(under('d')));
    s.sys('unlinkG', 'unlink', str(under('g')));
    tmpfs(s, 'ownMountE', 'e');
    s.sys('rmdirE', 'rmdir', str(under('e')));
    s.post('removedBoth', 1);
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.ok('childMountD'),
    expect.ok('childBindG'),
    expect.equals(at('childBefore', 'list'), 'd g'),
    expect.ok('rmdirD', 'rmdir of a directory mounted on only in the other namespace'),
    expect.ok('unlinkG', 'unlink of a file bind-mounted on only in the other namespace'),
    expect.ok('ownMountE'),
    expect.errno('rmdirE', 'EBUSY', "a mount point in the caller's own namespace is still busy"),
    expect.equals(at('childAfter', 'list'), '', 'both mounts are gone from the namespace that had them'),
  ],
};

export const mountsPollable: SpecClaim = {
  key: 'mounts-pollable',
  kinds: ['mnt'],
  claim: '/proc/[pid]/mounts can be polled: poll() reports nothing before a mount change and POLLPRI after one',
  specIds: ['MNT-20'],
  manPage: 'proc(5) /proc/pid/mounts',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who, CLONE.NEWNS);
    mkdir(s, 'mkdirA', 'a');
    s.open('table', '/proc/self/mounts');
    pollPri(s, 'quiet', 'table');
    tmpfs(s, 'mountA', 'a');
    pollPri(s, 'changed', 'table');
    return s;
  },
  checks: () => [
    expect.ok('table'),
    expect.ret('quiet', 0, 'no event before any change'),
    expect.ok('mountA'),
    expect.ret('changed', 1),
    expect.equals(at('changed', 'pri'), true, 'POLLPRI after the mount'),
  ],
};

export const destroyUnmounts: SpecClaim = {
  key: 'destroy-unmounts',
  kinds: ['mnt', 'pid', 'user'],
  claim:
    'destroying a mount namespace unmounts its mounts: a PID namespace kept only by a proc mount stays counted while an fd holds the mount namespace, and is released once that fd is closed',
  specIds: ['MNT-21'],
  manPage: 'mount_namespaces(7) DESCRIPTION; user_namespaces(7) /proc/sys/user/max_pid_namespaces',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    // A user namespace of the script's own scopes the limit (spec §2 note 1): one PID namespace may exist.
    s.becomeRoot('p', who);
    s.write('limit', '/proc/sys/user/max_pid_namespaces', '1');
    s.fork('gone', 'clone3', CLONE.NEWPID | CLONE.NEWNS, (c) => {
      c.sys('mountProc', 'mount', str('proc'), str('/proc'), str('proc'), MS.NOSUID | MS.NODEV | MS.NOEXEC, 0);
      c.post('mounted', 0);
      c.await('held', 1);
    });
    s.await('waitMounted', 0);
    s.open('mntFd', '/proc/{gone}/ns/mnt');
    s.post('heldNs', 1);
    s.wait('goneExit', 'gone');
    // Not a wait for reclaim: the PID namespace must stay counted for longer than its teardown takes (spec §2 note 2).
    s.pollProbe('whileHeld', 'ok', 500, CLONE.NEWPID);
    s.sys('dropNs', 'close', ref('mntFd'));
    s.pollProbe('afterDrop', 'ok', 5000, CLONE.NEWPID);
    return s;
  },
  checks: () => [
    expect.ok('limit'),
    expect.ok('mountProc'),
    expect.ok('mntFd'),
    expect.exitCode('goneExit', 0),
    expect.errno(
      'whileHeld',
      'ENOSPC',
      "the PID namespace's last process is gone, but the proc mount in the held mount namespace keeps it",
    ),
    expect.ok('dropNs'),
    expect.ok(
      'afterDrop',
      'the last reference to the mount namespace went: its proc mount was unmounted and the PID namespace released',
    ),
  ],
};
