// Less privileged mount namespaces: slaves instead of peers, and locked mounts and mount flags — mount_namespaces(7) "Restrictions on mount namespaces".
import { CLONE, expect, MNT_DETACH, MS, Script, type ScriptIdentity, type SpecClaim, str } from '../../harness/kit.ts';
import { bind, MASTER, mkdir, mounts, propagation, SHARED, tmpfs, umount, under } from './steps.ts';

const { at } = expect;
const LESS_PRIVILEGED = CLONE.NEWUSER | CLONE.NEWNS;
const MS_NOATIME = 0x400;
const MS_STRICTATIME = 1 << 24;

/** A mount namespace of the script's own (root, or root in a user namespace), with tmpfs on {scratch}/s. */
function moreprivileged(who: ScriptIdentity, shared: boolean): Script {
  const s = new Script();
  s.privileged('p', who, CLONE.NEWNS);
  mkdir(s, 'mkdirS', 's');
  tmpfs(s, 'mountS', 's');
  if (shared) propagation(s, 'shareS', 's', MS.SHARED);
  return s;
}

/** In a child of a new user namespace: map its own ids (0 in the parent's user namespace) to 0. */
function mapChild(c: Script): void {
  c.mapIds('c', 'self', 0, 0);
}

export const sharedBecomesSlave: SpecClaim = {
  key: 'shared-becomes-slave',
  kinds: ['mnt', 'user'],
  claim:
    'a mount namespace created together with a new user namespace is less privileged: its copies of shared mounts are slaves (master:N) of their peer group',
  specIds: ['MNT-14'],
  manPage: 'mount_namespaces(7) "Restrictions on mount namespaces"',
  priv: 'U',
  script: (who) => {
    const s = moreprivileged(who, true);
    mounts(s, 'parentView');
    s.fork('child', 'clone3', LESS_PRIVILEGED, (c) => {
      mounts(c, 'childView');
    });
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.matches(at('parentView', 'at.s.tags'), /^shared:\d+$/),
    expect.ok('child'),
    expect.matches(at('childView', 'at.s.tags'), /^master:\d+$/, 'the copy is a slave, not a peer'),
    expect.same(
      at('parentView', 'at.s.tags', SHARED),
      at('childView', 'at.s.tags', MASTER),
      'of the original peer group',
    ),
  ],
};

export const lockedMounts: SpecClaim = {
  key: 'locked-mounts',
  kinds: ['mnt', 'user'],
  claim:
    'mounts brought into a less privileged mount namespace are locked: umount2 of one gives EINVAL even with MNT_DETACH, while mounting on top of one and unmounting that new mount are allowed',
  specIds: ['MNT-15', 'MNT-16'],
  manPage: 'mount_namespaces(7) "Restrictions on mount namespaces"',
  priv: 'U',
  script: (who) => {
    const s = moreprivileged(who, false);
    s.fork('child', 'clone3', LESS_PRIVILEGED, (c) => {
      mapChild(c);
      umount(c, 'umountLocked', 's');
      umount(c, 'detachLocked', 's', MNT_DETACH);
      tmpfs(c, 'mountOnTop', 's');
      mounts(c, 'stacked');
      umount(c, 'umountTop', 's');
      umount(c, 'umountAgain', 's');
      mounts(c, 'afterwards');
    });
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.ok('cUidMap'),
    expect.errno('umountLocked', 'EINVAL', 'a locked mount cannot be unmounted'),
    expect.errno('detachLocked', 'EINVAL', 'nor detached'),
    expect.ok('mountOnTop', 'mounting on top of a locked mount'),
    expect.equals(at('stacked', 'list'), 's s#2'),
    expect.ok('umountTop', 'unmounting the mount made on top'),
    expect.errno('umountAgain', 'EINVAL', 'the locked mount below is still locked'),
    expect.equals(at('afterwards', 'list'), 's'),
  ],
};

export const lockedSubtree: SpecClaim = {
  key: 'locked-subtree',
  kinds: ['mnt', 'user'],
  claim:
    'a subtree that propagated as a unit into a less privileged mount namespace cannot have its parts unmounted one by one (EINVAL) but can be detached whole with MNT_DETACH',
  specIds: ['MNT-17'],
  manPage: 'mount_namespaces(7) "Restrictions on mount namespaces"',
  priv: 'U',
  script: (who) => {
    const s = moreprivileged(who, true);
    mkdir(s, 'mkdirX', 's/x');
    mkdir(s, 'mkdirT', 't');
    tmpfs(s, 'mountT', 't');
    mkdir(s, 'mkdirSub', 't/sub');
    tmpfs(s, 'mountSub', 't/sub');
    s.fork('child', 'clone3', LESS_PRIVILEGED, (c) => {
      mapChild(c);
      c.post('ready', 0);
      c.await('propagated', 1);
      mounts(c, 'childSees');
      umount(c, 'umountPart', 's/x/sub');
      umount(c, 'detachPart', 's/x/sub', MNT_DETACH);
      umount(c, 'detachWhole', 's/x', MNT_DETACH);
      mounts(c, 'childAfter');
      c.post('childDone', 2);
      c.await('done', 3);
    });
    s.await('waitReady', 0);
    bind(s, 'rbindT', 't', 's/x', MS.REC);
    s.post('bound', 1);
    s.await('waitChild', 2);
    mounts(s, 'parentAfter');
    s.post('release', 3);
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.ok('rbindT'),
    expect.equals(
      at('childSees', 'list'),
      's t t/sub s/x s/x/sub',
      'the recursive bind of t propagated to the slave s as a unit',
    ),
    expect.errno('umountPart', 'EINVAL', 'a part of the unit'),
    expect.errno('detachPart', 'EINVAL', 'a part of the unit, lazily'),
    expect.ok('detachWhole', 'the whole unit, lazily'),
    expect.equals(at('childAfter', 'list'), 's t t/sub', 'both mounts of the unit are gone'),
    expect.matches(at('parentAfter', 'list'), /(^| )s\/x\/sub$/, 'from the slave namespace only'),
  ],
};

export const lockedFlags: SpecClaim = {
  key: 'locked-flags',
  kinds: ['mnt', 'user'],
  claim:
    'MS_RDONLY, MS_NOSUID, MS_NOEXEC and the atime flags of a mount from a more privileged mount namespace are locked: a remount that would clear or change one gives EPERM, one that keeps them succeeds',
  specIds: ['MNT-18'],
  manPage: 'mount_namespaces(7) "Restrictions on mount namespaces"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who, CLONE.NEWNS);
    mkdir(s, 'mkdirR', 'r');
    const locked = MS.RDONLY | MS.NOSUID | MS.NODEV | MS.NOEXEC | MS_NOATIME;
    tmpfs(s, 'mountR', 'r', locked);
    s.fork('child', 'clone3', LESS_PRIVILEGED, (c) => {
      mapChild(c);
      const remount = (label: string, flags: number): string =>
        c.sys(label, 'mount', 0, str(under('r')), 0, MS.REMOUNT | MS.BIND | flags, 0);
      remount('clearRdonly', locked & ~MS.RDONLY);
      remount('clearNosuid', locked & ~MS.NOSUID);
      remount('clearNoexec', locked & ~MS.NOEXEC);
      remount('changeAtime', (locked & ~MS_NOATIME) | MS_STRICTATIME);
      remount('keepAll', locked);
      mounts(c, 'childView');
    });
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.ok('mountR'),
    expect.ok('cUidMap'),
    expect.errno('clearRdonly', 'EPERM', 'MS_RDONLY is locked'),
    expect.errno('clearNosuid', 'EPERM', 'MS_NOSUID is locked'),
    expect.errno('clearNoexec', 'EPERM', 'MS_NOEXEC is locked'),
    expect.errno('changeAtime', 'EPERM', 'the atime flags are locked'),
    expect.ok('keepAll', 'a remount that keeps the locked flags'),
    expect.matches(at('childView', 'at.r.opts'), /^ro,nosuid,nodev,noexec,noatime$/),
  ],
};
