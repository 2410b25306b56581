// What unshare(2) changes for the caller: the namespaces it names and the attributes they imply — unshare(2).
import { hostname } from 'node:os';
import { bytes, CLONE, expect, IPC, ref, Script, type SpecClaim, str } from '../../harness/kit.ts';
import { FULL_CAPABILITIES } from './steps.ts';

const { at } = expect;
const ENTRIES = [
  'cgroup',
  'ipc',
  'mnt',
  'net',
  'pid',
  'pid_for_children',
  'time',
  'time_for_children',
  'user',
  'uts',
] as const;
const GETVAL = 12;
const SEM_UNDO = 0x1000;

export const unshareZeroChangesNothing: SpecClaim = {
  key: 'unshare-zero',
  kinds: [],
  claim: 'unshare(0) succeeds and leaves every /proc/self/ns entry of the caller unchanged',
  specIds: ['UNS-01'],
  manPage: 'unshare(2) DESCRIPTION',
  priv: 'A',
  script: () => {
    const s = new Script();
    s.facts('before');
    s.sys('unshare', 'unshare', 0);
    s.facts('after');
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    ...ENTRIES.map((entry) =>
      expect.same(at('before', `facts.ns.${entry}.ino`), at('after', `facts.ns.${entry}.ino`), `ns/${entry}`),
    ),
  ],
};

export const newUserGivesCapsThereOnly: SpecClaim = {
  key: 'unshare-user-caps',
  kinds: ['user'],
  claim:
    'unshare(CLONE_NEWUSER) moves the caller into a new user namespace where it has every capability, and leaves it none over the previous one (sethostname on its UTS namespace gives EPERM)',
  specIds: ['UNS-02'],
  manPage: 'unshare(2) CLONE_NEWUSER; user_namespaces(7) "Capabilities"',
  priv: 'U',
  script: () => {
    const s = new Script();
    s.stat('userBefore', '/proc/self/ns/user');
    s.sys('unshare', 'unshare', CLONE.NEWUSER);
    s.facts('after');
    // The current name: should a regression let this through, nothing changes (spec note 11).
    const current = hostname();
    s.sys('parentOwned', 'sethostname', str(current), Buffer.byteLength(current));
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.differ(at('userBefore', 'ino'), at('after', 'facts.ns.user.ino')),
    expect.matches(at('after', 'facts.caps.eff'), FULL_CAPABILITIES, 'CapEff in the new user namespace'),
    expect.errno('parentOwned', 'EPERM'),
  ],
};

export const newPidIsForChildren: SpecClaim = {
  key: 'unshare-pid',
  kinds: ['pid'],
  claim:
    "unshare(CLONE_NEWPID) leaves the caller's PID and ns/pid unchanged, its first child afterwards is PID 1 of the new namespace, and a second unshare(CLONE_NEWPID) gives EINVAL",
  specIds: ['UNS-03', 'UNS-04'],
  manPage: 'unshare(2) CLONE_NEWPID; ERRORS EINVAL; pid_namespaces(7)',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.sys('pidBefore', 'getpid');
    s.stat('nsBefore', '/proc/self/ns/pid');
    s.sys('unshare', 'unshare', CLONE.NEWPID);
    s.sys('pidAfter', 'getpid');
    s.stat('nsAfter', '/proc/self/ns/pid');
    s.fork('first', 'clone3', 0, (c) => {
      c.sys('firstPid', 'getpid');
      c.stat('firstNs', '/proc/self/ns/pid');
    });
    s.wait('firstExit', 'first');
    s.sys('again', 'unshare', CLONE.NEWPID);
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.same(at('pidBefore'), at('pidAfter')),
    expect.same(at('nsBefore', 'ino'), at('nsAfter', 'ino')),
    expect.equals(at('firstPid'), 1),
    expect.differ(at('nsAfter', 'ino'), at('firstNs', 'ino'), 'the child is in the new PID namespace'),
    expect.errno('again', 'EINVAL'),
  ],
};

/**
 * A child made with clone(CLONE_FS) shares the main process's working directory until it unshares `flag`.
 * First a chdir of the child moves the main process too (the sharing is real); after the unshare it does not.
 */
function fsSharingScript(flag: number, privileged: (s: Script) => void): Script {
  const s = new Script();
  privileged(s);
  s.readlink('cwdStart', '/proc/self/cwd');
  s.fork('sharer', 'clone', CLONE.FS, (c) => {
    c.sys('chdirShared', 'chdir', str('{scratch}'));
    c.post('moved', 0);
    c.await('seen', 1);
    c.sys('unshare', 'unshare', flag);
    c.sys('chdirAlone', 'chdir', str('/'));
    c.post('movedAlone', 2);
  });
  s.await('waitMoved', 0);
  s.readlink('cwdShared', '/proc/self/cwd');
  s.post('seenShared', 1);
  s.await('waitAlone', 2);
  s.readlink('cwdAfter', '/proc/self/cwd');
  s.wait('sharerExit', 'sharer');
  return s;
}

const fsSharingChecks = () => [
  expect.ok('chdirShared'),
  expect.differ(
    at('cwdStart', 'text'),
    at('cwdShared', 'text'),
    "before the unshare the sharer's chdir moved the partner too",
  ),
  expect.ok('unshare'),
  expect.ok('chdirAlone'),
  expect.same(
    at('cwdShared', 'text'),
    at('cwdAfter', 'text'),
    "after the unshare the sharer's chdir no longer moves the partner",
  ),
];

export const newNsImpliesFs: SpecClaim = {
  key: 'unshare-mnt-implies-fs',
  kinds: ['mnt'],
  claim:
    'unshare(CLONE_NEWNS) implies CLONE_FS: a process sharing filesystem attributes succeeds and stops sharing, so its later chdir no longer moves its former partner',
  specIds: ['UNS-05'],
  manPage: 'unshare(2) CLONE_NEWNS',
  priv: 'U',
  script: (who) => fsSharingScript(CLONE.NEWNS, (s) => s.privileged('p', who)),
  checks: fsSharingChecks,
};

export const newUserImpliesFs: SpecClaim = {
  key: 'unshare-user-implies-fs',
  kinds: ['user'],
  claim:
    'unshare(CLONE_NEWUSER) implies CLONE_FS: a process sharing filesystem attributes succeeds and stops sharing, so its later chdir no longer moves its former partner',
  specIds: ['UNS-06'],
  manPage: 'unshare(2) CLONE_NEWUSER',
  priv: 'U',
  script: () => fsSharingScript(CLONE.NEWUSER, () => {}),
  checks: fsSharingChecks,
};

/** struct sembuf { unsigned short sem_num; short sem_op; short sem_flg; }. */
function sembuf(op: number, flags: number): string {
  const buffer = Buffer.alloc(6);
  buffer.writeUInt16LE(0, 0);
  buffer.writeInt16LE(op, 2);
  buffer.writeInt16LE(flags, 4);
  return bytes(buffer);
}

export const newIpcDetachesSemadj: SpecClaim = {
  key: 'unshare-ipc-sysvsem',
  kinds: ['ipc'],
  claim:
    "unshare(CLONE_NEWIPC) implies CLONE_SYSVSEM: the caller's semaphore adjustments are applied as it leaves, so a SEM_UNDO +1 reads 0 again in the old IPC namespace",
  specIds: ['UNS-09'],
  manPage: 'unshare(2) CLONE_NEWIPC, CLONE_SYSVSEM',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    // Everything happens in an IPC namespace the script created, never the host's.
    s.privileged('p', who, CLONE.NEWIPC);
    s.sys('semid', 'semget', IPC.PRIVATE, 1, IPC.CREAT | 0o600);
    s.sys('up', 'semop', ref('semid'), sembuf(1, SEM_UNDO), 1);
    s.fork('reader', 'clone3', 0, (c) => {
      c.sys('valueBefore', 'semctl', ref('semid'), 0, GETVAL, 0);
      c.post('readBefore', 0);
      c.await('left', 1);
      c.sys('valueAfter', 'semctl', ref('semid'), 0, GETVAL, 0);
    });
    s.await('waitRead', 0);
    s.sys('unshare', 'unshare', CLONE.NEWIPC);
    s.post('leftNs', 1);
    s.wait('readerExit', 'reader');
    return s;
  },
  checks: () => [expect.ok('up'), expect.ret('valueBefore', 1), expect.ok('unshare'), expect.ret('valueAfter', 0)],
};
