// How a cgroup namespace shows cgroup paths: /proc/PID/cgroup and mountinfo relative to its roots — cgroup_namespaces(7).
import { CLONE, expect, Script, type SpecClaim, str } from '../../harness/kit.ts';
import { CASE_LINE, hierarchyRootFrom, makeOwnCgroups, moveInto, removeOwnCgroups, unifiedPath } from './hierarchy.ts';

const { at } = expect;
/** Every line of /proc/PID/cgroup ends in the path "/". */
const ALL_ROOT = /^(\d+:[^:\n]*:\/\n)+$/;

export const creatorCgroupsBecomeRoots: SpecClaim = {
  key: 'creator-cgroups-are-roots',
  kinds: ['cgroup'],
  claim:
    "after unshare(CLONE_NEWCGROUP) the caller's cgroups are the roots of the new namespace: every line of /proc/self/cgroup, the caller's and a child's, shows /",
  specIds: ['CG-01'],
  manPage: 'cgroup_namespaces(7)',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.sys('unshare', 'unshare', CLONE.NEWCGROUP);
    s.read('caller', '/proc/self/cgroup');
    s.fork('child', 'clone3', 0, (c) => {
      c.read('childView', '/proc/self/cgroup');
    });
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.matches(at('caller', 'text'), ALL_ROOT),
    expect.matches(at('childView', 'text'), ALL_ROOT),
  ],
};

export const ownMountShowsRoot: SpecClaim = {
  key: 'own-mount-root',
  kinds: ['mnt', 'cgroup'],
  claim: 'a cgroup2 filesystem mounted from inside a cgroup namespace has / as its root in mountinfo',
  specIds: ['CG-03'],
  manPage: 'cgroup_namespaces(7); proc(5) /proc/PID/mountinfo',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    // Mounted only from a new cgroup namespace: there the mount cannot change the host's cgroup2 root flags.
    s.sys('unshare', 'unshare', CLONE.NEWCGROUP | CLONE.NEWNS);
    s.sys('mkdir', 'mkdir', str('{scratch}/cg'), 0o755);
    s.sys('mount', 'mount', str('cgroup2'), str('{scratch}/cg'), str('cgroup2'), 0, 0);
    s.op.cg_mountline('own', '{scratch}/cg');
    return s;
  },
  checks: () => [expect.ok('unshare'), expect.ok('mount'), expect.equals(at('own', 'root'), '/')],
};

export const pathsRelativeToRoot: SpecClaim = {
  key: 'paths-relative-to-root',
  kinds: ['mnt', 'cgroup'],
  claim:
    "inside a cgroup namespace, cgroups outside its root show with /.. components: another process's /proc/PID/cgroup, a later move of a member to a sibling cgroup, and the root field of an inherited cgroup2 mount, while a cgroup2 mount made inside shows /",
  specIds: ['CG-02', 'CG-03'],
  manPage: 'cgroup_namespaces(7)',
  priv: 'R',
  script: () => {
    const s = new Script();
    const own = makeOwnCgroups(s);
    s.sys('mainPid', 'getpid');
    s.fork('member', 'clone3', 0, (c) => {
      c.await('inA', 0);
      c.sys('unshare', 'unshare', CLONE.NEWCGROUP | CLONE.NEWNS);
      c.read('inRoot', '/proc/self/cgroup');
      c.read('outsider', '/proc/{mainPid}/cgroup');
      c.op.cg_mountline('inherited', own.mount);
      c.sys('mkdir', 'mkdir', str('{scratch}/cg'), 0o755);
      c.sys('mount', 'mount', str('cgroup2'), str('{scratch}/cg'), str('cgroup2'), 0, 0);
      c.op.cg_mountline('ownMount', '{scratch}/cg');
      c.post('looked', 1);
      c.await('inB', 2);
      c.read('afterMove', '/proc/self/cgroup');
    });
    moveInto(s, 'intoA', own.a, 'member');
    s.post('movedA', 0);
    s.await('waitLooked', 1);
    // Moved by a process outside the namespace, to a sibling of the namespace's root.
    moveInto(s, 'intoB', own.b, 'member');
    s.post('movedB', 2);
    s.wait('memberExit', 'member');
    removeOwnCgroups(s, own);
    return s;
  },
  checks: () => [
    expect.ok('mkBase'),
    expect.ok('intoA'),
    expect.ok('unshare'),
    expect.matches(at('inRoot', 'text'), /^0::\/$/m, "the member's own cgroup is the root"),
    expect.matches(
      at('outsider', 'text'),
      /^0::\/\.\.\/\.\.(\/[^\n]*)?$/m,
      'a process in a cgroup above the root shows /../.. first',
    ),
    expect.fits(
      at('inherited', 'root'),
      [unifiedPath(CASE_LINE)],
      hierarchyRootFrom(2),
      "the inherited cgroup2 mount has its root at the hierarchy's, as many levels above the namespace root as that is deep",
    ),
    expect.ok('mount'),
    expect.equals(at('ownMount', 'root'), '/', 'a cgroup2 mount made inside has / as root'),
    expect.ok('intoB'),
    expect.matches(
      at('afterMove', 'text'),
      /^0::\/\.\.\/b$/m,
      'after a later move to a sibling cgroup the member shows /../b',
    ),
    expect.ok('rmB'),
    expect.ok('rmA'),
    expect.ok('rmBase', 'the script removes the cgroups it made'),
  ],
};
