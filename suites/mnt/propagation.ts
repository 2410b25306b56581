// Shared subtrees: peer groups, slaves, unbindable mounts, bind and move semantics, and how mountinfo tags them — mount_namespaces(7) "SHARED SUBTREES".
import { CLONE, expect, MS, Script, type ScriptIdentity, type SpecClaim, str } from '../../harness/kit.ts';
import { bind, FROM, MASTER, mkdir, mounts, propagation, SHARED, tmpfs, umount, under } from './steps.ts';

const { at } = expect;

/** Root (or root in a user namespace) in a mount namespace of the script's own, with a shared tmpfs on {scratch}/s. */
function withSharedMount(who: ScriptIdentity): Script {
  const s = new Script();
  s.privileged('p', who, CLONE.NEWNS);
  mkdir(s, 'mkdirS', 's');
  tmpfs(s, 'mountS', 's');
  propagation(s, 'shareS', 's', MS.SHARED);
  return s;
}

export const sharedPeers: SpecClaim = {
  key: 'shared-peers',
  kinds: ['mnt'],
  claim:
    'a shared mount copied into a new mount namespace of the same user namespace joins its peer group, mounts and umounts under it reach every peer, and a new mount under a shared parent is shared in a new peer group while one under a private parent is private',
  specIds: ['MNT-05', 'MNT-06', 'MNT-09'],
  manPage: 'mount_namespaces(7) "SHARED SUBTREES", MS_SHARED, NOTES',
  priv: 'U',
  script: (who) => {
    const s = withSharedMount(who);
    mkdir(s, 'mkdirSub', 's/sub');
    mkdir(s, 'mkdirP', 'p');
    tmpfs(s, 'mountP', 'p');
    mkdir(s, 'mkdirPSub', 'p/sub');
    mounts(s, 'parentBefore');
    s.fork('child', 'clone3', CLONE.NEWNS, (c) => {
      mounts(c, 'childCopy');
      tmpfs(c, 'childMount', 's/sub');
      c.post('mounted', 0);
      c.await('looked', 1);
      umount(c, 'childUmount', 's/sub');
      c.post('unmounted', 2);
      c.await('done', 3);
    });
    s.await('waitMounted', 0);
    mounts(s, 'afterMount');
    s.post('lookedAtMount', 1);
    s.await('waitUnmounted', 2);
    mounts(s, 'afterUmount');
    tmpfs(s, 'mountPSub', 'p/sub');
    mounts(s, 'privateParent');
    s.post('release', 3);
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.ok('shareS'),
    expect.matches(at('parentBefore', 'at.s.tags'), /^shared:\d+$/),
    expect.same(
      at('parentBefore', 'at.s.tags', SHARED),
      at('childCopy', 'at.s.tags', SHARED),
      'the copy is in the same peer group',
    ),
    expect.differ(at('parentBefore', 'at.s.id'), at('childCopy', 'at.s.id'), 'the copy is a mount of its own'),
    expect.ok('childMount'),
    expect.matches(
      at('afterMount', 'list'),
      /(^| )s\/sub( |$)/,
      "the child's mount under the shared mount appears in the parent",
    ),
    expect.matches(at('afterMount', 'at.s/sub.tags'), /^shared:\d+$/, 'a mount under a shared parent is shared'),
    expect.differ(
      at('afterMount', 'at.s.tags', SHARED),
      at('afterMount', 'at.s/sub.tags', SHARED),
      'in a new peer group',
    ),
    expect.ok('childUmount'),
    expect.equals(at('afterUmount', 'list'), 's p', "the child's umount is replicated to the parent"),
    expect.ok('mountPSub'),
    expect.equals(at('privateParent', 'at.p/sub.tags'), '', 'a mount under a private parent is private'),
  ],
};

export const slaveOneWay: SpecClaim = {
  key: 'slave-one-way',
  kinds: ['mnt'],
  claim:
    'an MS_SLAVE mount shows master:N of its former peer group, receives mount events from its master and sends none back',
  specIds: ['MNT-07'],
  manPage: 'mount_namespaces(7) MS_SLAVE',
  priv: 'U',
  script: (who) => {
    const s = withSharedMount(who);
    mkdir(s, 'mkdirFromMaster', 's/fromMaster');
    mkdir(s, 'mkdirFromSlave', 's/fromSlave');
    mounts(s, 'masterView');
    s.fork('child', 'clone3', CLONE.NEWNS, (c) => {
      propagation(c, 'makeSlave', 's', MS.SLAVE);
      mounts(c, 'slaveView');
      c.post('slaved', 0);
      c.await('masterMounted', 1);
      mounts(c, 'slaveSees');
      tmpfs(c, 'slaveMount', 's/fromSlave');
      c.post('slaveMounted', 2);
      c.await('done', 3);
    });
    s.await('waitSlaved', 0);
    tmpfs(s, 'masterMount', 's/fromMaster');
    s.post('mountedInMaster', 1);
    s.await('waitSlaveMounted', 2);
    mounts(s, 'masterSees');
    s.post('release', 3);
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.ok('makeSlave'),
    expect.matches(at('slaveView', 'at.s.tags'), /^master:\d+$/, 'a slave, no longer shared'),
    expect.same(
      at('masterView', 'at.s.tags', SHARED),
      at('slaveView', 'at.s.tags', MASTER),
      'its master is the old peer group',
    ),
    expect.ok('masterMount'),
    expect.equals(at('slaveSees', 'list'), 's s/fromMaster', "the master's mount reaches the slave"),
    expect.ok('slaveMount'),
    expect.equals(at('masterSees', 'list'), 's s/fromMaster', "the slave's mount does not reach the master"),
  ],
};

export const unbindable: SpecClaim = {
  key: 'unbindable',
  kinds: ['mnt'],
  claim:
    'an MS_UNBINDABLE mount shows "unbindable", bind-mounting it gives EINVAL, and a recursive bind of a tree leaves its unbindable submounts out',
  specIds: ['MNT-08'],
  manPage: 'mount_namespaces(7) MS_UNBINDABLE',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who, CLONE.NEWNS);
    for (const dir of ['u', 'ub', 't', 'tb']) mkdir(s, `mkdir_${dir}`, dir);
    tmpfs(s, 'mountU', 'u');
    propagation(s, 'makeUnbindable', 'u', MS.UNBINDABLE);
    bind(s, 'bindU', 'u', 'ub');
    tmpfs(s, 'mountT', 't');
    mkdir(s, 'mkdirInner', 't/inner');
    mkdir(s, 'mkdirKept', 't/kept');
    tmpfs(s, 'mountInner', 't/inner');
    propagation(s, 'innerUnbindable', 't/inner', MS.UNBINDABLE);
    tmpfs(s, 'mountKept', 't/kept');
    bind(s, 'rbindT', 't', 'tb', MS.REC);
    mounts(s, 'view');
    return s;
  },
  checks: () => [
    expect.ok('makeUnbindable'),
    expect.equals(at('view', 'at.u.tags'), 'unbindable'),
    expect.errno('bindU', 'EINVAL', 'bind of an unbindable mount'),
    expect.ok('innerUnbindable'),
    expect.ok('rbindT'),
    expect.equals(
      at('view', 'list'),
      'u t t/inner t/kept tb tb/kept',
      'the recursive bind copied t/kept but not the unbindable t/inner',
    ),
  ],
};

export const typeTransitions: SpecClaim = {
  key: 'type-transitions',
  kinds: ['mnt'],
  claim:
    'propagation-type changes follow the transition table: make-slave turns a shared mount without peers private and leaves private and unbindable mounts unchanged, make-shared turns a slave into slave+shared, make-private drops every tag',
  specIds: ['MNT-10'],
  manPage: 'mount_namespaces(7) "Propagation type transitions"',
  priv: 'U',
  script: (who) => {
    const s = withSharedMount(who);
    for (const dir of ['p', 'u', 'q']) mkdir(s, `mkdir_${dir}`, dir);
    tmpfs(s, 'mountP', 'p');
    tmpfs(s, 'mountU', 'u');
    propagation(s, 'makeU', 'u', MS.UNBINDABLE);
    tmpfs(s, 'mountQ', 'q');
    propagation(s, 'shareQ', 'q', MS.SHARED);
    mounts(s, 'before');
    propagation(s, 'slaveS', 's', MS.SLAVE);
    propagation(s, 'slaveP', 'p', MS.SLAVE);
    propagation(s, 'slaveU', 'u', MS.SLAVE);
    mounts(s, 'after');
    s.fork('child', 'clone3', CLONE.NEWNS, (c) => {
      propagation(c, 'slaveQ', 'q', MS.SLAVE);
      propagation(c, 'reshareQ', 'q', MS.SHARED);
      mounts(c, 'slaveShared');
      propagation(c, 'privateQ', 'q', MS.PRIVATE);
      mounts(c, 'madePrivate');
    });
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.matches(at('before', 'at.s.tags'), /^shared:\d+$/),
    expect.ok('slaveS'),
    expect.equals(at('after', 'at.s.tags'), '', 'shared without other peers → make-slave → private'),
    expect.ok('slaveP'),
    expect.equals(at('after', 'at.p.tags'), '', 'private → make-slave → private (no effect)'),
    expect.ok('slaveU'),
    expect.equals(at('after', 'at.u.tags'), 'unbindable', 'unbindable → make-slave → unbindable (no effect)'),
    expect.ok('reshareQ'),
    expect.matches(at('slaveShared', 'at.q.tags'), /^shared:\d+ master:\d+$/, 'slave → make-shared → slave and shared'),
    expect.same(
      at('before', 'at.q.tags', SHARED),
      at('slaveShared', 'at.q.tags', MASTER),
      'still a slave of its old group',
    ),
    expect.differ(
      at('before', 'at.q.tags', SHARED),
      at('slaveShared', 'at.q.tags', SHARED),
      'and shared in a new group',
    ),
    expect.ok('privateQ'),
    expect.equals(at('madePrivate', 'at.q.tags'), '', 'slave+shared → make-private → private'),
  ],
};

export const bindTakesSourceType: SpecClaim = {
  key: 'bind-takes-source-type',
  kinds: ['mnt'],
  claim:
    "a bind mount onto a non-shared destination takes the source's type: shared in the source's peer group, private, slave of the same master, or EINVAL for an unbindable source",
  specIds: ['MNT-11'],
  manPage: 'mount_namespaces(7) "Bind (MS_BIND) semantics"',
  priv: 'U',
  script: (who) => {
    const s = withSharedMount(who);
    for (const dir of ['bs', 'p', 'bp', 'm', 'bm', 'u', 'bu']) mkdir(s, `mkdir_${dir}`, dir);
    tmpfs(s, 'mountP', 'p');
    tmpfs(s, 'mountU', 'u');
    propagation(s, 'makeU', 'u', MS.UNBINDABLE);
    // A slave in this namespace: a peer of s, then made slave (s stays in the group, so m becomes its slave).
    bind(s, 'bindM', 's', 'm');
    propagation(s, 'slaveM', 'm', MS.SLAVE);
    bind(s, 'bindShared', 's', 'bs');
    bind(s, 'bindPrivate', 'p', 'bp');
    bind(s, 'bindSlave', 'm', 'bm');
    bind(s, 'bindUnbindable', 'u', 'bu');
    mounts(s, 'view');
    return s;
  },
  checks: () => [
    expect.ok('bindShared'),
    expect.matches(at('view', 'at.bs.tags'), /^shared:\d+$/, 'shared source → shared'),
    expect.same(at('view', 'at.s.tags', SHARED), at('view', 'at.bs.tags', SHARED), "in the source's peer group"),
    expect.ok('bindPrivate'),
    expect.equals(at('view', 'at.bp.tags'), '', 'private source → private'),
    expect.matches(at('view', 'at.m.tags'), /^master:\d+$/),
    expect.ok('bindSlave'),
    expect.matches(at('view', 'at.bm.tags'), /^master:\d+$/, 'slave source → slave'),
    expect.same(at('view', 'at.m.tags', MASTER), at('view', 'at.bm.tags', MASTER), 'of the same master'),
    expect.errno('bindUnbindable', 'EINVAL', 'unbindable source → invalid'),
  ],
};

export const moveUnderSharedParent: SpecClaim = {
  key: 'move-under-shared-parent',
  kinds: ['mnt'],
  claim: 'MS_MOVE of a mount whose parent is shared gives EINVAL, while a mount under a private parent moves',
  specIds: ['MNT-12'],
  manPage: 'mount_namespaces(7) "Move (MS_MOVE) semantics"',
  priv: 'U',
  script: (who) => {
    const s = withSharedMount(who);
    for (const dir of ['s/sub', 'p', 'dest', 'dest2']) mkdir(s, `mkdir_${dir.replace('/', '_')}`, dir);
    tmpfs(s, 'mountSub', 's/sub');
    tmpfs(s, 'mountP', 'p');
    mkdir(s, 'mkdirPSub', 'p/sub');
    tmpfs(s, 'mountPSub', 'p/sub');
    s.sys('moveShared', 'mount', str(under('s/sub')), str(under('dest')), 0, MS.MOVE, 0);
    s.sys('movePrivate', 'mount', str(under('p/sub')), str(under('dest2')), 0, MS.MOVE, 0);
    mounts(s, 'view');
    return s;
  },
  checks: () => [
    expect.ok('mountSub'),
    expect.errno('moveShared', 'EINVAL', 'the parent {scratch}/s is shared'),
    expect.ok('movePrivate', 'the parent {scratch}/p is private'),
    expect.equals(at('view', 'list'), 's s/sub p dest2'),
  ],
};

export const propagateFrom: SpecClaim = {
  key: 'propagate-from',
  kinds: ['mnt'],
  claim:
    "mountinfo tags propagation as shared:X, master:X, propagate_from:X, unbindable or none (private); propagate_from names the nearest dominant peer group reachable from the reader's root when the master is not",
  specIds: ['MNT-13', 'MNT-22'],
  manPage: 'mount_namespaces(7) "The /proc/pid/mountinfo propagate_from tag"; proc(5) /proc/pid/mountinfo',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who, CLONE.NEWNS);
    // r is the new root; r/q (group Q) is reachable from it, p (group P, a slave of Q) is not; r/s is a slave of P.
    mkdir(s, 'mkdirR', 'r');
    mkdir(s, 'mkdirP', 'p');
    tmpfs(s, 'mountR', 'r');
    mkdir(s, 'mkdirQ', 'r/q');
    mkdir(s, 'mkdirS', 'r/s');
    mkdir(s, 'mkdirU', 'r/u');
    tmpfs(s, 'mountQ', 'r/q');
    propagation(s, 'shareQ', 'r/q', MS.SHARED);
    bind(s, 'bindP', 'r/q', 'p');
    propagation(s, 'slaveP', 'p', MS.SLAVE);
    propagation(s, 'shareP', 'p', MS.SHARED);
    bind(s, 'bindS', 'p', 'r/s');
    propagation(s, 'slaveS', 'r/s', MS.SLAVE);
    tmpfs(s, 'mountU', 'r/u');
    propagation(s, 'unbindU', 'r/u', MS.UNBINDABLE);
    mounts(s, 'outside');
    s.fork('child', 'clone3', 0, (c) => {
      c.sys('chroot', 'chroot', str(under('r')));
      c.post('chrooted', 0);
      c.await('done', 1);
    });
    s.await('waitChroot', 0);
    mounts(s, 'inside', '/proc/{child}/mountinfo', '/');
    s.post('release', 1);
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.ok('slaveS'),
    expect.matches(at('outside', 'at.p.tags'), /^shared:\d+ master:\d+$/, 'p is shared and a slave'),
    expect.matches(
      at('outside', 'at.r/s.tags'),
      /^master:\d+$/,
      'seen from the real root, r/s has a reachable master: no propagate_from',
    ),
    expect.ok('chroot'),
    expect.equals(
      at('inside', 'list'),
      '@ q s u',
      "a chrooted process's mountinfo shows only the mounts under its root",
    ),
    expect.equals(at('inside', 'at.u.tags'), 'unbindable'),
    expect.equals(at('inside', 'at.@.tags'), '', 'untagged: private'),
    expect.matches(at('inside', 'at.q.tags'), /^shared:\d+$/),
    expect.matches(at('inside', 'at.s.tags'), /^master:\d+ propagate_from:\d+$/),
    expect.same(
      at('outside', 'at.p.tags', SHARED),
      at('inside', 'at.s.tags', MASTER),
      'master: the unreachable group P',
    ),
    expect.same(
      at('inside', 'at.q.tags', SHARED),
      at('inside', 'at.s.tags', FROM),
      'propagate_from: the reachable dominant group Q',
    ),
  ],
};

export const destroyLeavesPeerGroup: SpecClaim = {
  key: 'destroy-leaves-peer-group',
  kinds: ['mnt'],
  claim:
    'destroying a mount namespace removes its mounts from their peer groups: a shared mount whose only peer was in it becomes private on make-slave, while one with a living peer becomes a slave',
  specIds: ['MNT-21'],
  manPage: 'mount_namespaces(7) DESCRIPTION; "Propagation type transitions"',
  priv: 'U',
  script: (who) => {
    const s = withSharedMount(who);
    mkdir(s, 'mkdirT', 't');
    tmpfs(s, 'mountT', 't');
    propagation(s, 'shareT', 't', MS.SHARED);
    mounts(s, 'before');
    s.fork('gone', 'clone3', CLONE.NEWNS, (c) => {
      mounts(c, 'goneCopy');
    });
    s.wait('goneExit', 'gone');
    // The keeper's namespace keeps a peer of t only: its copy of s leaves the group at once.
    s.fork('keeper', 'clone3', CLONE.NEWNS, (c) => {
      propagation(c, 'keeperDropsS', 's', MS.PRIVATE);
      c.post('keeperReady', 0);
      c.await('done', 1);
    });
    s.await('waitKeeper', 0);
    propagation(s, 'slaveS', 's', MS.SLAVE);
    propagation(s, 'slaveT', 't', MS.SLAVE);
    mounts(s, 'after');
    s.post('release', 1);
    s.wait('keeperExit', 'keeper');
    return s;
  },
  checks: () => [
    expect.ok('shareT'),
    expect.same(
      at('before', 'at.s.tags', SHARED),
      at('goneCopy', 'at.s.tags', SHARED),
      'the copy in the namespace that goes was a peer',
    ),
    expect.exitCode('goneExit', 0),
    expect.ok('keeperDropsS'),
    expect.ok('slaveS'),
    expect.equals(
      at('after', 'at.s.tags'),
      '',
      'its only peer went with the destroyed namespace: make-slave leaves it private',
    ),
    expect.ok('slaveT'),
    expect.matches(at('after', 'at.t.tags'), /^master:\d+$/, 'control: a mount whose peer lives on becomes a slave'),
    expect.same(at('before', 'at.t.tags', SHARED), at('after', 'at.t.tags', MASTER)),
  ],
};
