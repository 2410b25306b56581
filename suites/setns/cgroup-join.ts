// Joining a cgroup namespace changes the caller's view of its cgroups, not its membership — setns(2) "Cgroup namespaces".
import { CASE_CGROUP, CLONE, expect, Script, type SpecClaim } from '../../harness/kit.ts';
import { holdNamespaces, releaseHolder } from './steps.ts';

/** Below the case's own cgroup: it goes with the case however the case ends (host safety). */
const OWN_CGROUP = `${CASE_CGROUP}/nsconform-setns`;
const UNIFIED_LINE = /^0::(.*)$/m;
const { at } = expect;

export const cgroupJoinChangesViewOnly: SpecClaim = {
  key: 'cgroup-join-view-only',
  kinds: ['cgroup'],
  claim:
    "setns into a cgroup namespace leaves the caller's cgroup membership unchanged, as read from the initial cgroup namespace; only its own /proc/self/cgroup view changes",
  specIds: ['SETNS-12'],
  manPage: 'setns(2) "Cgroup namespaces"; cgroup_namespaces(7)',
  priv: 'R',
  needs: [{ kind: 'syscall', call: 'clone3' }, { kind: 'case-cgroup' }],
  script: () => {
    const s = new Script();
    s.sys('mkCgroup', 'mkdir', `s:${OWN_CGROUP}`, 0o755);
    // The owner moves into the new cgroup and makes it the root of a new cgroup namespace.
    holdNamespaces(s, 'owner', 0, 0, (owner) => {
      owner.write('moveOwner', `${OWN_CGROUP}/cgroup.procs`, '0');
      owner.sys('unshare', 'unshare', CLONE.NEWCGROUP);
    });
    s.open('cgroupFd', '/proc/{owner}/ns/cgroup');
    s.fork('joiner', 'clone3', 0, (c) => {
      c.read('viewBefore', '/proc/self/cgroup');
      c.post('joinerUp', 2);
      c.await('outsideRead', 3);
      c.setns('join', 'cgroupFd', CLONE.NEWCGROUP);
      c.read('viewAfter', '/proc/self/cgroup');
      c.post('joined', 4);
      c.await('outsideReadAgain', 5);
    });
    s.await('waitJoinerUp', 2);
    s.read('outsideBefore', '/proc/{joiner}/cgroup');
    s.post('readBefore', 3);
    s.await('waitJoined', 4);
    s.read('outsideAfter', '/proc/{joiner}/cgroup');
    s.post('readAfter', 5);
    s.wait('joinerExit', 'joiner');
    releaseHolder(s, 'owner', 0);
    s.sys('rmCgroup', 'rmdir', `s:${OWN_CGROUP}`);
    return s;
  },
  checks: () => [
    expect.ok('mkCgroup'),
    expect.ok('moveOwner'),
    expect.ok('unshare'),
    expect.ok('join'),
    expect.same(
      at('outsideBefore', 'text', UNIFIED_LINE),
      at('outsideAfter', 'text', UNIFIED_LINE),
      'the cgroup v2 membership seen from the initial cgroup namespace',
    ),
    expect.same(at('outsideBefore', 'text'), at('outsideAfter', 'text'), 'every hierarchy'),
    expect.differ(
      at('viewBefore', 'text', UNIFIED_LINE),
      at('viewAfter', 'text', UNIFIED_LINE),
      "the joiner's own view is relative to the new namespace's root",
    ),
    expect.matches(
      at('viewAfter', 'text', UNIFIED_LINE),
      /^\/\.\./,
      'a cgroup outside the namespace root shows as a path above it',
    ),
    expect.ok('rmCgroup', 'the suite removes the cgroup it made'),
  ],
};
