// /proc/pid/setgroups and setgroups(2) in user namespaces — user_namespaces(7) "The /proc/pid/setgroups file".
import { bytes, CLONE, expect, Script, type SpecClaim } from '../../harness/kit.ts';

const { at } = expect;
const MAN = 'user_namespaces(7) "The /proc/pid/setgroups file"';
/** A one-entry group list holding gid 0, for setgroups(1, list). */
const GROUP_ZERO = bytes(Buffer.alloc(4));

export const gidMapNeedsDeny: SpecClaim = {
  key: 'unprivileged-gid-map-needs-deny',
  kinds: ['user'],
  claim:
    'a writer without CAP_SETGID in the parent namespace gets EPERM from gid_map until it has written "deny" to /proc/self/setgroups; then its own gid may be mapped',
  specIds: ['USER-15'],
  manPage: `${MAN}; "Defining user and group ID mappings"`,
  priv: 'N',
  needs: [{ kind: 'setgroups-allowed' }],
  script: (who) => {
    const s = new Script();
    s.sys('unshare', 'unshare', CLONE.NEWUSER);
    s.write('beforeDeny', '/proc/self/gid_map', `0 ${who.gid} 1`);
    s.write('deny', '/proc/self/setgroups', 'deny');
    s.write('afterDeny', '/proc/self/gid_map', `0 ${who.gid} 1`);
    return s;
  },
  checks: () => [expect.ok('unshare'), expect.errno('beforeDeny', 'EPERM'), expect.ok('deny'), expect.ok('afterDeny')],
};

export const setgroupsFileRules: SpecClaim = {
  key: 'setgroups-file-rules',
  kinds: ['user'],
  claim:
    'a new user namespace inherits its parent\'s setgroups value; "deny" cannot be reverted to "allow" (EPERM); a child of a "deny" namespace reads "deny" and cannot write "allow" (EPERM); and after gid_map is written "deny" gives EPERM',
  specIds: ['USER-17'],
  manPage: MAN,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.read('parentValue', '/proc/self/setgroups');
    s.fork('child', 'clone3', CLONE.NEWUSER, (c) => {
      c.read('inherited', '/proc/self/setgroups');
      c.write('deny', '/proc/self/setgroups', 'deny');
      c.write('revert', '/proc/self/setgroups', 'allow');
      c.read('afterRevert', '/proc/self/setgroups');
      c.post('denied', 0);
      c.await('mapped', 1);
      c.write('denyAfterMap', '/proc/self/setgroups', 'deny');
      // The child's ids are mapped now, so it may create a grandchild.
      c.fork('grand', 'clone3', CLONE.NEWUSER, (g) => {
        g.read('grandValue', '/proc/self/setgroups');
        g.write('grandAllow', '/proc/self/setgroups', 'allow');
      });
      c.wait('grandExit', 'grand');
    });
    s.await('childDenied', 0);
    // The owner may map its own ids once "deny" is set, with or without privilege.
    s.write('childUidMap', '/proc/{child}/uid_map', `0 ${who.uid} 1`);
    s.write('childGidMap', '/proc/{child}/gid_map', `0 ${who.gid} 1`);
    s.post('childMapped', 1);
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.matches(at('parentValue', 'text'), /^(allow|deny)\n$/),
    expect.same(at('parentValue', 'text'), at('inherited', 'text'), "a child starts with its parent's value"),
    expect.ok('deny'),
    expect.errno('revert', 'EPERM'),
    expect.equals(at('afterRevert', 'text'), 'deny\n'),
    expect.ok('childGidMap'),
    expect.errno('denyAfterMap', 'EPERM'),
    expect.equals(at('grandValue', 'text'), 'deny\n'),
    expect.errno('grandAllow', 'EPERM'),
  ],
};

export const setgroupsNeedsGidMap: SpecClaim = {
  key: 'setgroups-syscall-before-gid-map',
  kinds: ['user'],
  claim:
    'setgroups(2) gives EPERM in a user namespace whose gid_map is unset, although the caller holds CAP_SETGID there, and still after the map when setgroups is "deny"',
  specIds: ['USER-18'],
  manPage: `${MAN}; setgroups(2) EPERM`,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.sys('unshare', 'unshare', CLONE.NEWUSER);
    s.read('status', '/proc/self/status');
    s.sys('beforeMap', 'setgroups', 0, 0);
    s.mapIds('own', 'self', who.uid, who.gid);
    s.sys('afterDenyMap', 'setgroups', 0, 0);
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    // CAP_SETGID is bit 6: the effective set's last hex digit has bit 6 (0x40) of its low byte set.
    expect.matches(
      at('status', 'text', /^CapEff:\s+[0-9a-f]*([0-9a-f]{2})$/m),
      /^[4-7c-f][0-9a-f]$/,
      'CAP_SETGID is effective',
    ),
    expect.errno('beforeMap', 'EPERM'),
    expect.ok('ownGidMap'),
    expect.errno('afterDenyMap', 'EPERM'),
  ],
};

export const setgroupsWorksWithAllowAndMap: SpecClaim = {
  key: 'setgroups-syscall-after-allow-map',
  kinds: ['user'],
  claim:
    'once a privileged writer sets gid_map while setgroups is "allow", setgroups(2) works in the namespace; "deny" is then refused with EPERM (man page: neither value may be written after gid_map; kernel: writing "allow" again is accepted)',
  specIds: ['USER-18', 'USER-17'],
  manPage: `${MAN}; setgroups(2)`,
  priv: 'R',
  script: () => {
    const s = new Script();
    s.fork('kid', 'clone3', CLONE.NEWUSER, (c) => {
      c.sys('beforeMap', 'setgroups', 0, 0);
      c.post('tried', 0);
      c.await('mapped', 1);
      c.read('value', '/proc/self/setgroups');
      c.sys('afterMap', 'setgroups', 1, GROUP_ZERO);
      c.read('status', '/proc/self/status');
    });
    s.await('kidTried', 0);
    s.write('kidGidMap', '/proc/{kid}/gid_map', '0 0 1');
    s.write('kidUidMap', '/proc/{kid}/uid_map', '0 0 1');
    s.write('allowAfterMap', '/proc/{kid}/setgroups', 'allow');
    s.write('denyAfterMap', '/proc/{kid}/setgroups', 'deny');
    s.post('kidMapped', 1);
    s.wait('kidExit', 'kid');
    return s;
  },
  checks: () => [
    expect.errno('beforeMap', 'EPERM'),
    expect.ok('kidGidMap'),
    expect.ok('allowAfterMap', 'kernel: "allow" is accepted again after gid_map'),
    expect.errno('denyAfterMap', 'EPERM'),
    expect.equals(at('value', 'text'), 'allow\n'),
    expect.ok('afterMap'),
    expect.matches(at('status', 'text', /^Groups:\s*(.*)$/m), /^0\s*$/, 'the supplementary group list is now gid 0'),
  ],
};

export const setuidNeedsMappedIds: SpecClaim = {
  key: 'setuid-needs-mapped-id',
  kinds: ['user'],
  claim:
    'before uid_map and gid_map are written setuid(0) and setgid(0) give EINVAL; afterwards setuid to the mapped id works and to an unmapped id gives EINVAL',
  specIds: ['USER-19'],
  manPage: 'user_namespaces(7) "Interaction with system calls that change process UIDs or GIDs"; setuid(2) EINVAL',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.sys('unshare', 'unshare', CLONE.NEWUSER);
    s.sys('uidBefore', 'setuid', 0);
    s.sys('gidBefore', 'setgid', 0);
    s.mapIds('own', 'self', who.uid, who.gid);
    s.sys('gidAfter', 'setgid', 0);
    s.sys('unmappedUid', 'setuid', 5);
    s.sys('uidAfter', 'setuid', 0);
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.errno('uidBefore', 'EINVAL'),
    expect.errno('gidBefore', 'EINVAL'),
    expect.ok('ownUidMap'),
    expect.ok('gidAfter'),
    expect.errno('unmappedUid', 'EINVAL'),
    expect.ok('uidAfter'),
  ],
};
