// Writing uid_map and gid_map: once, format rules, who may write, which ids — user_namespaces(7) "Defining user and group ID mappings".
import { allCapsBut, CLONE, expect, Script, type SpecClaim } from '../../harness/kit.ts';
import { WITHOUT_SETFCAP, holdingChild, identityLines } from './steps.ts';

const { at } = expect;
const KID_UID_MAP = '/proc/{kid}/uid_map';
const KID_GID_MAP = '/proc/{kid}/gid_map';
const PAGE_SIZE = 4096;

export const mapsWriteOnce: SpecClaim = {
  key: 'maps-write-once',
  kinds: ['user'],
  claim: 'uid_map and gid_map can each be written once: a second write, even of the same valid map, gives EPERM',
  specIds: ['USER-09'],
  manPage: 'user_namespaces(7) "Defining user and group ID mappings: writing to uid_map and gid_map"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    holdingChild(s, 'kid', 0);
    s.write('firstUid', KID_UID_MAP, '0 0 1');
    s.write('secondUid', KID_UID_MAP, '0 0 1');
    s.write('firstGid', KID_GID_MAP, '0 0 1');
    s.write('secondGid', KID_GID_MAP, '0 0 1');
    s.post('release', 0);
    s.wait('kidExit', 'kid');
    return s;
  },
  checks: () => [
    expect.ok('firstUid'),
    expect.errno('secondUid', 'EPERM'),
    expect.ok('firstGid'),
    expect.errno('secondGid', 'EPERM'),
  ],
};

export const mapFormatRules: SpecClaim = {
  key: 'map-format-einval',
  kinds: ['user'],
  claim:
    'a uid_map write gives EINVAL for a non-numeric field, a zero length, overlapping ranges, more than 340 lines, a page-size write, or a write at a non-zero offset after lseek (man page: EINVAL for any non-zero offset; kernel: pwrite() at an offset fails first with ESPIPE, spec D11); a valid write of page size minus one byte then succeeds',
  specIds: ['USER-10'],
  manPage: 'user_namespaces(7) "Defining user and group ID mappings: writing to uid_map and gid_map"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    // Every rule is tried by a writer that may map the child (spec note 6): only the format is wrong.
    s.privileged('p', who);
    holdingChild(s, 'kid', 0);
    s.write('nonNumeric', KID_UID_MAP, '0 x 1');
    s.write('zeroLength', KID_UID_MAP, '0 0 0');
    s.write('overlap', KID_UID_MAP, '0 0 2\n1 5 1');
    s.write('lines341', KID_UID_MAP, identityLines(341));
    s.op.padwrite('pageSize', KID_UID_MAP, '0 0 1\n', PAGE_SIZE);
    s.write('lseekOffset', KID_UID_MAP, '0 0 1', 1);
    s.pwrite('pwriteOffset', KID_UID_MAP, '0 0 1', 1);
    // Leading zeros keep the line "0 0 1": the largest write the size rule lets through.
    s.op.padwrite('underPage', KID_UID_MAP, '0 0 1\n', PAGE_SIZE - 1);
    s.read('installed', KID_UID_MAP);
    s.post('release', 0);
    s.wait('kidExit', 'kid');
    return s;
  },
  checks: () => [
    expect.errno('nonNumeric', 'EINVAL'),
    expect.errno('zeroLength', 'EINVAL'),
    expect.errno('overlap', 'EINVAL'),
    expect.errno('lines341', 'EINVAL'),
    expect.errno('pageSize', 'EINVAL'),
    expect.errno('lseekOffset', 'EINVAL'),
    expect.equals(at('lseekOffset', 'stage'), 'write', 'lseek itself succeeds; the write is refused'),
    expect.errno('pwriteOffset', 'ESPIPE', 'spec D11'),
    expect.ret('underPage', PAGE_SIZE - 1),
    expect.matches(at('installed', 'text'), /^\s*0\s+0\s+1\n$/),
  ],
};

export const privilegedWriter340Lines: SpecClaim = {
  key: 'map-340-lines',
  kinds: ['user'],
  claim:
    'a privileged writer may install a uid_map of 340 lines but gets EINVAL for 341; a process in that namespace can then setuid to the last mapped id but gets EINVAL for an id outside the map',
  specIds: ['USER-11', 'USER-19'],
  manPage: 'user_namespaces(7) "Defining user and group ID mappings"; setuid(2) EINVAL',
  priv: 'R',
  script: () => {
    const s = new Script();
    s.fork('kid', 'clone3', CLONE.NEWUSER, (c) => {
      c.await('kidMapped', 0);
      c.sys('outsideMap', 'setuid', 400);
      c.sys('lastLine', 'setresuid', 339, 339, 339);
      c.sys('nowUid', 'geteuid');
    });
    s.write('lines341', KID_UID_MAP, identityLines(341));
    s.write('lines340', KID_UID_MAP, identityLines(340));
    s.post('mapped', 0);
    s.wait('kidExit', 'kid');
    return s;
  },
  checks: () => [
    expect.errno('lines341', 'EINVAL', 'one line more than the limit'),
    expect.ret('lines340', identityLines(340).length, 'the whole map is accepted'),
    expect.errno('outsideMap', 'EINVAL'),
    expect.ok('lastLine'),
    expect.ret('nowUid', 339),
  ],
};

export const writerMustBeInNsOrParent: SpecClaim = {
  key: 'map-writer-location',
  kinds: ['user'],
  claim:
    "only a process in the target user namespace or its parent may write its maps: the grandparent namespace's root gets EPERM, and the parent then writes the same map",
  specIds: ['USER-12'],
  manPage: 'user_namespaces(7) "Defining user and group ID mappings: writing to uid_map and gid_map"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.fork('child', 'clone3', CLONE.NEWUSER, (c) => {
      c.await('childMapped', 0);
      c.fork('grand', 'clone3', CLONE.NEWUSER, (g) => {
        g.await('grandHold', 2);
      });
      c.post('grandBorn', 1);
      c.await('grandparentTried', 3);
      c.write('parentWrites', '/proc/{grand}/uid_map', '0 0 1');
      c.post('releaseGrand', 2);
      c.wait('grandExit', 'grand');
    });
    s.write('childUidMap', '/proc/{child}/uid_map', '0 0 1');
    s.write('childGidMap', '/proc/{child}/gid_map', '0 0 1');
    s.post('mapped', 0);
    s.await('seeGrand', 1);
    s.write('grandparentUid', '/proc/{grand}/uid_map', '0 0 1');
    s.write('grandparentGid', '/proc/{grand}/gid_map', '0 0 1');
    s.post('tried', 3);
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.ok('childUidMap'),
    expect.ok('childGidMap'),
    expect.errno('grandparentUid', 'EPERM'),
    expect.errno('grandparentGid', 'EPERM'),
    expect.ok('parentWrites'),
  ],
};

export const mappedIdsMustBeMappedInParent: SpecClaim = {
  key: 'map-ids-mapped-in-parent',
  kinds: ['user'],
  claim:
    'ids written into a map must be mapped in the parent user namespace: root of a namespace mapping only uid 0 gets EPERM for "0 5 1" and may write "0 0 1"',
  specIds: ['USER-13'],
  manPage: 'user_namespaces(7) "Defining user and group ID mappings: writing to uid_map and gid_map"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    holdingChild(s, 'kid', 0);
    s.write('unmappedUid', KID_UID_MAP, '0 5 1');
    s.write('unmappedGid', KID_GID_MAP, '0 5 1');
    s.write('mappedUid', KID_UID_MAP, '0 0 1');
    s.write('mappedGid', KID_GID_MAP, '0 0 1');
    s.post('release', 0);
    s.wait('kidExit', 'kid');
    return s;
  },
  checks: () => [
    expect.ok('pUidMap'),
    expect.errno('unmappedUid', 'EPERM'),
    expect.errno('unmappedGid', 'EPERM'),
    expect.ok('mappedUid'),
    expect.ok('mappedGid'),
  ],
};

export const unprivilegedWriterOwnIdOnly: SpecClaim = {
  key: 'unprivileged-map-own-id',
  kinds: ['user'],
  claim:
    'a writer without CAP_SETUID in the parent namespace gets EPERM for a map of another uid, of length 2, or of two lines, and may map its own effective uid with length 1',
  specIds: ['USER-14'],
  manPage: 'user_namespaces(7) "Defining user and group ID mappings: writing to uid_map and gid_map"',
  priv: 'N',
  script: (who) => {
    const s = new Script();
    s.sys('unshare', 'unshare', CLONE.NEWUSER);
    s.write('otherUid', '/proc/self/uid_map', `0 ${who.uid + 1} 1`);
    s.write('lengthTwo', '/proc/self/uid_map', `0 ${who.uid} 2`);
    s.write('twoLines', '/proc/self/uid_map', `0 ${who.uid} 1\n1 ${who.uid + 1} 1`);
    s.write('ownUid', '/proc/self/uid_map', `0 ${who.uid} 1`);
    s.write('denyGroups', '/proc/self/setgroups', 'deny');
    s.write('otherGid', '/proc/self/gid_map', `0 ${who.gid + 1} 1`);
    s.write('ownGid', '/proc/self/gid_map', `0 ${who.gid} 1`);
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.errno('otherUid', 'EPERM'),
    expect.errno('lengthTwo', 'EPERM'),
    expect.errno('twoLines', 'EPERM'),
    expect.ok('ownUid'),
    expect.ok('denyGroups'),
    expect.errno('otherGid', 'EPERM'),
    expect.ok('ownGid'),
  ],
};

export const mappingParentRootNeedsSetfcap: SpecClaim = {
  key: 'map-root-needs-setfcap',
  kinds: ['user'],
  claim:
    'a map covering uid 0 of the parent namespace needs CAP_SETFCAP: without it in its effective set a writer in the parent gets EPERM, and so does a writer inside a child created while it lacked it; with it both succeed',
  specIds: ['USER-16'],
  manPage:
    'user_namespaces(7) "Defining user and group ID mappings: writing to uid_map and gid_map"; capabilities(7) CAP_SETFCAP',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    // A sandbox namespace whose root may drop and regain CAP_SETFCAP without touching the host.
    s.becomeRoot('p', who);
    holdingChild(s, 'kid', 0);
    s.sys('dropSetfcap', 'capset', ...WITHOUT_SETFCAP());
    s.fork('madeWithout', 'clone3', CLONE.NEWUSER, (c) => {
      c.write('selfWithout', '/proc/self/uid_map', '0 0 1');
    });
    s.wait('madeWithoutExit', 'madeWithout');
    s.write('parentWithout', KID_UID_MAP, '0 0 1');
    s.sys('raiseSetfcap', 'capset', ...allCapsBut());
    s.write('parentWith', KID_UID_MAP, '0 0 1');
    s.fork('madeWith', 'clone3', CLONE.NEWUSER, (c) => {
      c.write('selfWith', '/proc/self/uid_map', '0 0 1');
    });
    s.wait('madeWithExit', 'madeWith');
    s.post('release', 0);
    s.wait('kidExit', 'kid');
    return s;
  },
  checks: () => [
    expect.ok('dropSetfcap'),
    expect.errno('selfWithout', 'EPERM', 'the creator lacked CAP_SETFCAP'),
    expect.errno('parentWithout', 'EPERM'),
    expect.ok('raiseSetfcap'),
    expect.ok('parentWith'),
    expect.ok('selfWith'),
  ],
};

export const formatCheckedBeforePermission: SpecClaim = {
  key: 'map-format-einval-unprivileged',
  kinds: ['user'],
  claim:
    'a writer without CAP_SETUID in the parent namespace also gets EINVAL, not EPERM, for a malformed uid_map (non-numeric field, overlapping ranges, more than 340 lines, non-zero offset), and can still map its own uid afterwards',
  specIds: ['USER-10'],
  manPage: 'user_namespaces(7) "Defining user and group ID mappings: writing to uid_map and gid_map"',
  priv: 'N',
  script: (who) => {
    const s = new Script();
    const own = `0 ${who.uid} 1`;
    s.sys('unshare', 'unshare', CLONE.NEWUSER);
    s.write('nonNumeric', '/proc/self/uid_map', '0 x 1');
    s.write('overlap', '/proc/self/uid_map', `0 ${who.uid} 2\n1 ${who.uid} 1`);
    s.write('lines341', '/proc/self/uid_map', identityLines(341));
    s.write('lseekOffset', '/proc/self/uid_map', own, 1);
    s.write('ownUid', '/proc/self/uid_map', own);
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.errno('nonNumeric', 'EINVAL'),
    expect.errno('overlap', 'EINVAL'),
    expect.errno('lines341', 'EINVAL'),
    expect.errno('lseekOffset', 'EINVAL'),
    expect.ok('ownUid'),
  ],
};
