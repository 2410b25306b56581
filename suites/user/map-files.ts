// Reading uid_map and gid_map: empty, initial, and relative to the reader — user_namespaces(7) "User and group ID mappings".
import { CLONE, expect, otherUserId, PR_SET_DUMPABLE, Script, type SpecClaim } from '../../harness/kit.ts';
import { mapField, mapLineIs } from './steps.ts';

const { at } = expect;

export const freshMapsEmpty: SpecClaim = {
  key: 'fresh-maps-empty',
  kinds: ['user'],
  claim: 'in a new user namespace uid_map and gid_map are empty: read() returns 0 bytes',
  specIds: ['USER-05'],
  manPage: 'user_namespaces(7) "User and group ID mappings: uid_map and gid_map"',
  priv: 'U',
  script: () => {
    const s = new Script();
    s.sys('unshare', 'unshare', CLONE.NEWUSER);
    s.read('uidMap', '/proc/self/uid_map');
    s.read('gidMap', '/proc/self/gid_map');
    return s;
  },
  checks: () => [expect.ok('unshare'), expect.ret('uidMap', 0), expect.ret('gidMap', 0)],
};

export const initialNamespaceMaps: SpecClaim = {
  key: 'initial-maps',
  kinds: ['user'],
  claim:
    'in the initial user namespace uid_map and gid_map hold the single line "0 0 4294967295" and setgroups reads "allow"',
  specIds: ['USER-06', 'USER-17'],
  manPage: 'user_namespaces(7) "User and group ID mappings", "The /proc/pid/setgroups file"',
  priv: 'A',
  needs: [{ kind: 'initial-user-ns' }],
  script: () => {
    const s = new Script();
    s.read('uidMap', '/proc/self/uid_map');
    s.read('gidMap', '/proc/self/gid_map');
    s.read('setgroups', '/proc/self/setgroups');
    return s;
  },
  checks: () => [
    expect.matches(at('uidMap', 'text'), /^\s*0\s+0\s+4294967295\n$/, 'exactly one line'),
    expect.matches(at('gidMap', 'text'), /^\s*0\s+0\s+4294967295\n$/, 'exactly one line'),
    expect.equals(at('setgroups', 'text'), 'allow\n'),
  ],
};

export const mapFieldsRelativeToReader: SpecClaim = {
  key: 'map-read-relative',
  kinds: ['user'],
  claim:
    "field 2 of a uid_map line is shown in the reader's ids: for a grandchild map \"7 0 1\" written by its parent, the grandparent reads its own uid for the child's root, and readers in the parent or in the grandchild itself read 0, while the parent reading its own map sees its grandparent's ids",
  specIds: ['USER-07'],
  manPage: 'user_namespaces(7) "User and group ID mappings: uid_map and gid_map"',
  priv: 'U',
  script: (who) => {
    const outerUid = who.mode === 'root' ? otherUserId() : who.uid;
    const outerGid = who.mode === 'root' ? otherUserId() : who.gid;
    const s = new Script();
    s.fork('child', 'clone3', CLONE.NEWUSER, (c) => {
      c.await('childMapped', 0);
      // Become the namespace's root: in the root mode that is the outer "other user" id, whose ids may create a grandchild.
      c.sys('childGid', 'setresgid', 0, 0, 0);
      c.sys('childUid', 'setresuid', 0, 0, 0);
      // Changing ids made the child non-dumpable; its grandchild's /proc files would then belong to global root.
      c.sys('dumpable', 'prctl', PR_SET_DUMPABLE, 1);
      c.read('childOwnMap', '/proc/self/uid_map');
      c.fork('grand', 'clone3', CLONE.NEWUSER, (g) => {
        g.await('grandMapped', 1);
        g.read('grandOwnMap', '/proc/self/uid_map');
        g.post('grandHasRead', 2);
        g.await('grandHold', 3);
      });
      c.write('grandUidMap', '/proc/{grand}/uid_map', '7 0 1');
      c.post('mappedGrand', 1);
      c.await('grandRead', 2);
      c.read('childSeesGrand', '/proc/{grand}/uid_map');
      c.post('parentMayRead', 4);
      c.await('childHold', 5);
      c.post('releaseGrand', 3);
      c.wait('grandExit', 'grand');
    });
    s.write('childSetgroups', '/proc/{child}/setgroups', 'deny');
    s.write('childUidMap', '/proc/{child}/uid_map', `0 ${outerUid} 1`);
    s.write('childGidMap', '/proc/{child}/gid_map', `0 ${outerGid} 1`);
    s.post('mappedChild', 0);
    s.await('childDone', 4);
    s.read('parentSeesGrand', '/proc/{grand}/uid_map');
    s.post('releaseChild', 5);
    s.wait('childExit', 'child');
    return s;
  },
  checks: (who) => {
    const outerUid = who.mode === 'root' ? otherUserId() : who.uid;
    return [
      expect.ok('childUidMap'),
      expect.ok('childUid'),
      expect.ok('grandUidMap'),
      ...mapLineIs(
        'parentSeesGrand',
        7,
        outerUid,
        1,
        'the grandparent (another namespace) reads the lower id in its own ids',
      ),
      ...mapLineIs('childSeesGrand', 7, 0, 1, 'the parent (another namespace) reads the lower id in its own ids'),
      ...mapLineIs('grandOwnMap', 7, 0, 1, "a reader inside the namespace reads the lower id in its parent's ids"),
      expect.equals(
        mapField('childOwnMap', 2),
        outerUid,
        "the child reading its own map sees the lower id in its parent's ids",
      ),
    ];
  },
};
