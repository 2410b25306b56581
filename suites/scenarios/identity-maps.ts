// Scenario 4, identity maps: the initial user namespace's maps, and a container's maps read from inside and outside — user_namespaces(7) "User and group ID mappings: uid_map and gid_map".
import { CLONE, expect, Script, type ScriptIdentity, type SpecClaim } from '../../harness/kit.ts';

const { at } = expect;
const IDENTITY = /^\s*0\s+0\s+4294967295\n$/;

export const initialMapsAreIdentity: SpecClaim = {
  key: 'identity-initial',
  kinds: ['user'],
  claim: 'identity maps: the initial user namespace reads "0 0 4294967295" in uid_map and gid_map',
  specIds: ['USER-06'],
  manPage: 'user_namespaces(7) "User and group ID mappings: uid_map and gid_map"',
  priv: 'A',
  needs: [{ kind: 'initial-user-ns' }],
  script: () => {
    const s = new Script();
    s.read('uidMap', '/proc/self/uid_map');
    s.read('gidMap', '/proc/self/gid_map');
    return s;
  },
  checks: () => [expect.matches(at('uidMap', 'text'), IDENTITY), expect.matches(at('gidMap', 'text'), IDENTITY)],
};

/** Real root maps a range of subordinate ids, as container runtimes do; an unprivileged runner only its own id. */
function mapOf(who: ScriptIdentity): { uid: string; gid: string; uidLine: RegExp; gidLine: RegExp } {
  if (who.mode === 'root')
    return {
      uid: '0 100000 65536',
      gid: '0 100000 65536',
      uidLine: /^\s*0\s+100000\s+65536\n$/,
      gidLine: /^\s*0\s+100000\s+65536\n$/,
    };
  return {
    uid: `0 ${who.uid} 1`,
    gid: `0 ${who.gid} 1`,
    uidLine: new RegExp(`^\\s*0\\s+${who.uid}\\s+1\\n$`),
    gidLine: new RegExp(`^\\s*0\\s+${who.gid}\\s+1\\n$`),
  };
}

export const containerMapsReadAsWritten: SpecClaim = {
  key: 'identity-container',
  kinds: ['user'],
  claim: "identity maps: a container's uid_map and gid_map read as the parent wrote them, from inside and from outside",
  specIds: ['USER-07'],
  manPage: 'user_namespaces(7) "User and group ID mappings: uid_map and gid_map"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    const map = mapOf(who);
    s.fork('box', 'clone3', CLONE.NEWUSER, (c) => {
      c.await('mapped', 0);
      c.read('uidInside', '/proc/self/uid_map');
      c.read('gidInside', '/proc/self/gid_map');
    });
    if (who.mode === 'unprivileged') s.write('setgroups', '/proc/{box}/setgroups', 'deny');
    s.write('writeUid', '/proc/{box}/uid_map', map.uid);
    s.write('writeGid', '/proc/{box}/gid_map', map.gid);
    s.read('uidOutside', '/proc/{box}/uid_map');
    s.read('gidOutside', '/proc/{box}/gid_map');
    s.post('go', 0);
    s.wait('boxExit', 'box');
    return s;
  },
  checks: (who) => {
    const map = mapOf(who);
    return [
      expect.ok('writeUid'),
      expect.ok('writeGid'),
      expect.matches(at('uidOutside', 'text'), map.uidLine),
      expect.matches(at('gidOutside', 'text'), map.gidLine),
      expect.same(at('uidOutside', 'text'), at('uidInside', 'text')),
      expect.same(at('gidOutside', 'text'), at('gidInside', 'text')),
    ];
  },
};
