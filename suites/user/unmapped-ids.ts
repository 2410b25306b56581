// Unmapped user and group ids show as the overflow ids — user_namespaces(7) "Unmapped user and group IDs".
import { CLONE, expect, Script, type SpecClaim } from '../../harness/kit.ts';
import { mapLineIs, overflowGid, overflowUid, readOverflowIds } from './steps.ts';

const { at } = expect;

/** The n-th id (1-based: real, effective, saved, filesystem) of a /proc/[pid]/status line. */
const statusId = (line: 'Uid' | 'Gid', n: number) =>
  at('status', 'text', new RegExp(`^${line}:${'\\s+\\d+'.repeat(n - 1)}\\s+(\\d+)`, 'm'));

export const unmappedCredentials: SpecClaim = {
  key: 'unmapped-credentials',
  kinds: ['user'],
  claim:
    'in a user namespace without id maps, getuid, geteuid, getgid, getegid and the Uid:/Gid: lines of /proc/self/status show the overflow ids of /proc/sys/kernel/overflowuid and overflowgid (65534 by default)',
  specIds: ['USER-01', 'USER-03'],
  manPage: 'user_namespaces(7) "Unmapped user and group IDs"; proc(5) /proc/sys/kernel/overflowuid, /proc/pid/status',
  priv: 'U',
  script: () => {
    const s = new Script();
    readOverflowIds(s);
    s.sys('unshare', 'unshare', CLONE.NEWUSER);
    s.sys('uid', 'getuid');
    s.sys('euid', 'geteuid');
    s.sys('gid', 'getgid');
    s.sys('egid', 'getegid');
    s.read('status', '/proc/self/status');
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.same(overflowUid, at('uid')),
    expect.same(overflowUid, at('euid')),
    expect.same(overflowGid, at('gid')),
    expect.same(overflowGid, at('egid')),
    ...[1, 2, 3, 4].map((n) => expect.same(overflowUid, statusId('Uid', n), `Uid: field ${n} of /proc/self/status`)),
    ...[1, 2, 3, 4].map((n) => expect.same(overflowGid, statusId('Gid', n), `Gid: field ${n} of /proc/self/status`)),
  ],
};

export const unmappedFileOwners: SpecClaim = {
  key: 'unmapped-file-owner',
  kinds: ['user'],
  claim:
    'stat() in a user namespace reports a file owner and group that are unmapped there as the overflow uid and gid',
  specIds: ['USER-02'],
  manPage: 'user_namespaces(7) "Unmapped user and group IDs"',
  priv: 'U',
  needs: [{ kind: 'unprivileged-ids', distinctFromRoot: true }],
  script: () => {
    const s = new Script();
    readOverflowIds(s);
    s.sys('unshare', 'unshare', CLONE.NEWUSER);
    s.stat('root', '/');
    s.stat('scratch', '{scratch}');
    return s;
  },
  // Two owners, because either may show the overflow ids already before the unshare: '/' on the host's tree in a
  // rootless container (`podman unshare`), the scratch dir when the runner is nobody (65534). No "mapped before"
  // condition, then; each environment leaves at least one of them telling.
  checks: () => [
    expect.ok('unshare'),
    expect.same(overflowUid, at('root', 'uid')),
    expect.same(overflowGid, at('root', 'gid')),
    // The scratch dir belongs to the script's own uid, which is unmapped in the new namespace too.
    expect.same(overflowUid, at('scratch', 'uid')),
    expect.same(overflowGid, at('scratch', 'gid')),
  ],
};

export const credentialsTranslatedForReceiver: SpecClaim = {
  key: 'scm-credentials-unmapped',
  kinds: ['user'],
  claim:
    "SCM_CREDENTIALS sent from the parent user namespace arrive in a child user namespace that does not map the sender with the overflow uid and gid, while a receiver in the sender's namespace sees its real ids",
  specIds: ['USER-04'],
  manPage: 'user_namespaces(7) "Unmapped user and group IDs"; unix(7) SCM_CREDENTIALS',
  priv: 'U',
  script: () => {
    const s = new Script();
    readOverflowIds(s);
    s.op.socketpair('pair');
    s.op.socketpair('own');
    s.fork('kid', 'clone3', CLONE.NEWUSER, (c) => {
      c.op.recvcred('kidCred', '$pair_1');
    });
    s.op.sendcred('sendKid', '$pair_0');
    s.wait('kidExit', 'kid');
    s.op.sendcred('sendOwn', '$own_0');
    s.op.recvcred('ownCred', '$own_1');
    return s;
  },
  checks: (who) => [
    expect.ok('sendKid'),
    expect.ret('kidCred', 1, 'the child received the byte'),
    expect.same(overflowUid, at('kidCred', 'uid')),
    expect.same(overflowGid, at('kidCred', 'gid')),
    expect.equals(at('ownCred', 'uid'), who.uid, "a receiver in the sender's own namespace"),
    expect.equals(at('ownCred', 'gid'), who.gid),
  ],
};

export const unmappedInMapFiles: SpecClaim = {
  key: 'map-file-unmapped-4294967295',
  kinds: ['user'],
  claim:
    'a process reading the uid_map of a user namespace whose outer ids it cannot map sees 4294967295 in field 2, not the overflow uid that getuid shows',
  specIds: ['USER-08'],
  manPage: 'user_namespaces(7) "Unmapped user and group IDs"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    readOverflowIds(s);
    s.becomeRoot('p', who);
    s.sys('me', 'getpid');
    s.fork('kid', 'clone3', CLONE.NEWUSER, (c) => {
      c.read('parentMap', '/proc/{me}/uid_map');
      c.sys('kidUid', 'getuid');
    });
    s.wait('kidExit', 'kid');
    return s;
  },
  checks: () => [
    expect.ok('pUidMap'),
    ...mapLineIs('parentMap', 0, 4294967295, 1, 'the parent\'s map "0 <uid> 1" read from an unmapped child'),
    expect.same(overflowUid, at('kidUid'), 'getuid in the same child shows the overflow uid'),
  ],
};
