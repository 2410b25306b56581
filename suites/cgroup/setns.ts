// Joining a cgroup namespace does not move the caller between cgroups — setns(2); cgroup_namespaces(7).
import { CLONE, expect, Script, type SpecClaim } from '../../harness/kit.ts';
import {
  belowCase,
  CASE_LINE,
  makeOwnCgroups,
  moveInto,
  OWN_BASE,
  removeOwnCgroups,
  unifiedPath,
} from './hierarchy.ts';

const { at } = expect;
const IN_OWN_B = belowCase(`${OWN_BASE}/b`);

export const setnsKeepsMembership: SpecClaim = {
  key: 'setns-keeps-membership',
  kinds: ['cgroup'],
  claim:
    'setns into a cgroup namespace leaves the caller in its cgroup: only the path it reads becomes relative to the joined root',
  specIds: ['CG-04'],
  manPage: 'setns(2); cgroup_namespaces(7)',
  priv: 'R',
  script: () => {
    const s = new Script();
    const own = makeOwnCgroups(s);
    s.fork('owner', 'clone3', 0, (c) => {
      c.await('inA', 0);
      c.sys('unshare', 'unshare', CLONE.NEWCGROUP);
      c.post('unshared', 1);
      c.await('done', 2);
    });
    moveInto(s, 'ownerIntoA', own.a, 'owner');
    s.post('movedOwner', 0);
    s.await('waitUnshared', 1);
    s.open('cgroupFd', '/proc/{owner}/ns/cgroup');
    s.fork('joiner', 'clone3', 0, (c) => {
      c.await('inB', 3);
      c.read('before', '/proc/self/cgroup');
      c.setns('join', 'cgroupFd', CLONE.NEWCGROUP);
      c.read('after', '/proc/self/cgroup');
      c.post('joined', 4);
      c.await('release', 5);
    });
    moveInto(s, 'joinerIntoB', own.b, 'joiner');
    s.post('movedJoiner', 3);
    s.await('waitJoined', 4);
    s.read('fromOutside', '/proc/{joiner}/cgroup');
    s.post('releaseJoiner', 5);
    s.wait('joinerExit', 'joiner');
    s.post('releaseOwner', 2);
    s.wait('ownerExit', 'owner');
    removeOwnCgroups(s, own);
    return s;
  },
  checks: () => [
    expect.ok('ownerIntoA'),
    expect.ok('unshare'),
    expect.ok('joinerIntoB'),
    expect.fits(unifiedPath('before'), [unifiedPath(CASE_LINE)], IN_OWN_B),
    expect.ok('join'),
    expect.matches(
      at('after', 'text'),
      /^0::\/\.\.\/b$/m,
      'the joiner still reads cgroup b, now relative to the root a',
    ),
    expect.fits(
      unifiedPath('fromOutside'),
      [unifiedPath(CASE_LINE)],
      IN_OWN_B,
      'seen from outside the joiner is still in b',
    ),
    expect.ok('rmB'),
    expect.ok('rmA'),
    expect.ok('rmBase', 'the script removes the cgroups it made'),
  ],
};
