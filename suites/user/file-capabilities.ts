// Namespaced file capabilities and per-namespace set-user-ID-root programs — capabilities(7) "File capability extended attribute versioning", "Namespaced file capabilities".
import { AT_FDCWD, CAP_NET_RAW, CLONE, expect, O, out, Script, type SpecClaim, str } from '../../harness/kit.ts';
import { becomeNsRoot, capOf, EUID, execFile, fullMask, outerGid, outerId, reportFile } from './steps.ts';

const { at } = expect;
const XATTR = 'security.capability';
/** struct vfs_cap_data, revision 2 with the effective flag: CAP_NET_RAW permitted, nothing inheritable (20 bytes). */
const V2_NET_RAW = Buffer.concat([u32(0x02000001), u32(1 << CAP_NET_RAW), u32(0), u32(0), u32(0)]).toString('hex');
const NET_RAW_ONLY = (1 << CAP_NET_RAW).toString(16).padStart(16, '0');
const NO_CAPS = '0000000000000000';
/** A v3 xattr's root uid: bytes 20..23 (the read buffer is zero after them; a lookbehind keeps the match to the value). */
const ROOT_UID = /(?<=^[0-9a-f]{40})([0-9a-f]{8})(?![^0-9a-f])/;

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value >>> 0);
  return buffer;
}

/** The hex of a little-endian u32, as a v3 xattr stores its root uid. */
const le32 = (value: number): string => u32(value).toString('hex');

/** A scratch dir owned by the outer ids the child namespace's root maps to, so that root may create files there. */
function ownedDir(s: Script, uid: number, gid: number): void {
  s.sys('chmodScratch', 'chmod', str('{scratch}'), 0o711);
  s.sys('mkdir', 'mkdir', str('{scratch}/d'), 0o755);
  s.sys('chownDir', 'chown', str('{scratch}/d'), uid, gid);
}

export const v2StoredAsV3: SpecClaim = {
  key: 'fcaps-v2-stored-v3',
  kinds: ['user'],
  claim:
    "a v2 security.capability set by root of a non-initial user namespace is stored as v3 carrying the namespace's root uid: getxattr inside returns 20 bytes (v2), outside 24 bytes (v3) ending in that outer uid",
  specIds: ['USER-32'],
  manPage: 'capabilities(7) "File capability extended attribute versioning", "Namespaced file capabilities"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    const uid = outerId(who),
      gid = outerGid(who);
    ownedDir(s, uid, gid);
    s.fork('inner', 'clone3', CLONE.NEWUSER, (c) => {
      c.await('mapped', 0);
      becomeNsRoot(c, 'root');
      c.sys('create', 'openat', AT_FDCWD, str('{scratch}/d/file'), O.WRONLY | O.CREAT | O.CLOEXEC, 0o755);
      c.op.setxattr('set', '{scratch}/d/file', XATTR, V2_NET_RAW);
      c.sys('inside', 'getxattr', str('{scratch}/d/file'), str(XATTR), out(64), 64);
    });
    s.mapIds('map', '{inner}', uid, gid);
    s.post('go', 0);
    s.wait('innerExit', 'inner');
    s.sys('outside', 'getxattr', str('{scratch}/d/file'), str(XATTR), out(64), 64);
    return s;
  },
  checks: (who) => [
    expect.ok('rootUid'),
    expect.ok('create'),
    expect.ok('set', 'root of the namespace holds CAP_SETFCAP over its own file'),
    expect.ret('inside', 20, 'a v2 xattr inside'),
    expect.matches(at('inside', 'b'), new RegExp(`^${V2_NET_RAW}`)),
    expect.ret('outside', 24, 'a v3 xattr outside'),
    expect.matches(at('outside', 'b'), /^01000003/, 'revision 3 with the effective flag'),
    expect.equals(
      at('outside', 'b', ROOT_UID),
      le32(outerId(who)),
      "the namespace's root uid as seen from the initial namespace",
    ),
  ],
};

export const v3OnlyInOwningNamespace: SpecClaim = {
  key: 'fcaps-v3-scope',
  kinds: ['user'],
  claim:
    'v3 file capabilities take effect for a process in a descendant of the user namespace whose root owns them (uid 5 there gains CAP_NET_RAW by execve), and not in the initial namespace, where the stored root uid is not 0',
  specIds: ['USER-33'],
  manPage: 'capabilities(7) "Namespaced file capabilities"',
  priv: 'U',
  needs: [{ kind: 'initial-user-ns' }],
  script: (who) => {
    const s = new Script();
    const uid = outerId(who),
      gid = outerGid(who);
    ownedDir(s, uid, gid);
    s.op.copyexe('copy', '{scratch}/d/capbin');
    s.sys('chownCopy', 'chown', str('{scratch}/d/capbin'), uid, gid);
    reportFile(s, 'descendantReport', 'descendant.json');
    reportFile(s, 'outsideReport', 'outside.json');
    s.fork('inner', 'clone3', CLONE.NEWUSER, (c) => {
      c.await('mapped', 0);
      becomeNsRoot(c, 'root');
      c.op.setxattr('set', '{scratch}/d/capbin', XATTR, V2_NET_RAW);
      c.fork('descendant', 'clone3', CLONE.NEWUSER, (g) => {
        g.await('descendantMapped', 1);
        execFile(g, 'descendantExec', '{scratch}/d/capbin', 'descendantReport');
      });
      // The grandchild's uid 5 is this namespace's root.
      c.mapIds('gmap', '{descendant}', 0, 0, 5);
      c.post('gmapped', 1);
      c.wait('descendantExit', 'descendant');
    });
    s.mapIds('map', '{inner}', uid, gid);
    s.post('go', 0);
    s.wait('innerExit', 'inner');
    s.fork('outsider', 'clone3', 0, (c) => {
      // Real root would get every capability by execve anyway: run it as an ordinary uid.
      if (who.mode === 'root') becomeNsRoot(c, 'plain', 3000);
      execFile(c, 'outsideExec', '{scratch}/d/capbin', 'outsideReport');
    });
    s.wait('outsiderExit', 'outsider');
    s.read('descendantSeen', '{scratch}/descendant.json');
    s.read('outsideSeen', '{scratch}/outside.json');
    return s;
  },
  checks: () => [
    expect.ok('copy'),
    expect.ok('set'),
    expect.ok('gmapUidMap'),
    expect.exitCode('descendantExit', 0),
    expect.equals(at('descendantSeen', 'text', EUID), 5),
    expect.equals(
      capOf('descendantSeen'),
      NET_RAW_ONLY,
      'the file capability applies in a descendant of the owning namespace',
    ),
    expect.equals(capOf('descendantSeen', 'CapPrm'), NET_RAW_ONLY),
    expect.exitCode('outsiderExit', 0),
    expect.equals(capOf('outsideSeen'), NO_CAPS, 'the v3 capability is ignored in the initial namespace'),
    expect.equals(capOf('outsideSeen', 'CapPrm'), NO_CAPS),
  ],
};

const CREATOR = 2000;

export const setuidRootPerNamespace: SpecClaim = {
  key: 'setuid-creator-root',
  kinds: ['user'],
  claim:
    'a set-user-ID program owned by the uid that created a user namespace gives euid 0 and the full capability set to a non-root process running it inside that namespace or a descendant of it',
  specIds: ['USER-34'],
  manPage: 'capabilities(7) "Per-user-namespace set-user-ID-root programs"',
  priv: 'R',
  script: () => {
    const s = new Script();
    fullMask(s, 'full');
    s.sys('chmodScratch', 'chmod', str('{scratch}'), 0o711);
    s.op.copyexe('copy', '{scratch}/suid');
    s.sys('own', 'chown', str('{scratch}/suid'), CREATOR, CREATOR);
    s.sys('mode', 'chmod', str('{scratch}/suid'), 0o4755);
    reportFile(s, 'report', 'suid.json');
    reportFile(s, 'grandReport', 'grand.json');
    s.fork('creator', 'clone3', 0, (c) => {
      becomeNsRoot(c, 'creator', CREATOR);
      c.sys('unshare', 'unshare', CLONE.NEWUSER);
      c.post('created', 0);
      c.await('mapped', 1);
      // A descendant namespace mapping the same ids: the program is set-user-ID-root there too.
      c.fork('grand', 'clone3', CLONE.NEWUSER, (g) => {
        g.await('grandMapped', 2);
        becomeNsRoot(g, 'grandFive', 5);
        execFile(g, 'grandExec', '{scratch}/suid', 'grandReport');
      });
      c.write('grandUidMap', '/proc/{grand}/uid_map', '0 0 10');
      c.write('grandGidMap', '/proc/{grand}/gid_map', '0 0 10');
      c.post('grandGo', 2);
      c.wait('grandExit', 'grand');
      becomeNsRoot(c, 'five', 5);
      c.read('fiveStatus', '/proc/self/status');
      execFile(c, 'suidExec', '{scratch}/suid', 'report');
    });
    s.await('ready', 0);
    s.write('mapUid', '/proc/{creator}/uid_map', `0 ${CREATOR} 10`);
    s.write('mapGid', '/proc/{creator}/gid_map', `0 ${CREATOR} 10`);
    s.post('go', 1);
    s.wait('creatorExit', 'creator');
    s.read('seen', '{scratch}/suid.json');
    s.read('grandSeen', '{scratch}/grand.json');
    return s;
  },
  checks: () => [
    expect.ok('mode'),
    expect.ok('unshare'),
    expect.ok('mapUid'),
    expect.ok('fiveUid'),
    expect.equals(capOf('fiveStatus'), NO_CAPS, 'uid 5 inside has no capability before execve'),
    expect.exitCode('creatorExit', 0),
    expect.equals(at('seen', 'text', EUID), 0),
    expect.same(at('full', 'full'), capOf('seen'), 'the full set after execve'),
    expect.ok('grandUidMap'),
    expect.ok('grandFiveUid'),
    expect.exitCode('grandExit', 0),
    expect.equals(at('grandSeen', 'text', EUID), 0, 'in a descendant namespace too'),
    expect.same(at('full', 'full'), capOf('grandSeen')),
  ],
};
