// How ids cross the user-namespace boundary on files: ownership, set-user-ID, /proc owners, file-related capabilities — user_namespaces(7) "Accessing files".
import { statSync } from 'node:fs';
import {
  allCapsBut,
  AT_FDCWD,
  capsetArgs,
  CLONE,
  expect,
  knownCaps,
  O,
  PR_CAPBSET_DROP,
  ref,
  Script,
  SIG,
  type SpecClaim,
  str,
} from '../../harness/kit.ts';
import { becomeNsRoot, EUID, execFile, outerGid, outerId, reportFile } from './steps.ts';

const { at } = expect;
/** The multi-id map real root gives a child namespace: inside 0..999 is outside 100000..100999. */
const BASE = 100000;
const RANGE = 1000;
const UNMAPPED = 200000;

/** Real root writes a 1000-id map for a child namespace (no setgroups "deny" needed with CAP_SETGID). */
function mapRange(s: Script, prefix: string, pid: string): void {
  s.write(`${prefix}UidMap`, `/proc/${pid}/uid_map`, `0 ${BASE} ${RANGE}`);
  s.write(`${prefix}GidMap`, `/proc/${pid}/gid_map`, `0 ${BASE} ${RANGE}`);
}

/** A file in the scratch dir with this mode, owner and group, made by real root (chmod after chown, which clears set-user-ID). */
function rootFile(s: Script, label: string, name: string, uid: number, gid: number, mode: number): void {
  s.sys(`${label}Fd`, 'openat', AT_FDCWD, str(`{scratch}/${name}`), O.WRONLY | O.CREAT | O.CLOEXEC, 0o600);
  s.sys(`${label}Own`, 'chown', str(`{scratch}/${name}`), uid, gid);
  s.sys(`${label}Mode`, 'chmod', str(`{scratch}/${name}`), mode);
}

export const createdFileIds: SpecClaim = {
  key: 'created-file-ids',
  kinds: ['user'],
  claim:
    'a file created by root of a user namespace is stored with the outer ids root maps to, and stat() inside shows 0:0',
  specIds: ['USER-29'],
  manPage: 'user_namespaces(7) "User and group ID mappings", "Accessing files"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    const uid = outerId(who),
      gid = outerGid(who);
    // A directory the namespace's root owns; real root maps its namespace's root to an id no account has, not to itself.
    s.sys('chmodScratch', 'chmod', str('{scratch}'), 0o711);
    s.sys('mkdir', 'mkdir', str('{scratch}/d'), 0o755);
    s.sys('chownDir', 'chown', str('{scratch}/d'), uid, gid);
    s.fork('inner', 'clone3', CLONE.NEWUSER, (c) => {
      c.await('mapped', 0);
      becomeNsRoot(c, 'root');
      c.sys('create', 'openat', AT_FDCWD, str('{scratch}/d/file'), O.WRONLY | O.CREAT | O.CLOEXEC, 0o644);
      c.stat('inside', '{scratch}/d/file');
    });
    s.mapIds('map', '{inner}', uid, gid);
    s.post('go', 0);
    s.wait('innerExit', 'inner');
    s.stat('outside', '{scratch}/d/file');
    return s;
  },
  checks: (who) => [
    expect.ok('mapUidMap'),
    expect.ok('rootUid'),
    expect.ok('create'),
    expect.equals(at('inside', 'uid'), 0),
    expect.equals(at('inside', 'gid'), 0),
    expect.equals(at('outside', 'uid'), outerId(who), 'stored with the outer uid'),
    expect.equals(at('outside', 'gid'), outerGid(who)),
  ],
};

/** capset(2) arguments: a version-3 header for the caller, and two empty data words (no capability at all). */
const CAP_SYS_PTRACE = 19;

export const nonDumpableProcOwner: SpecClaim = {
  key: 'nondumpable-proc-owner',
  kinds: ['user'],
  claim:
    "the /proc/[pid] files of a non-dumpable process in a user namespace that maps uid and gid 0 belong to that namespace's root ids, not to the global root",
  specIds: ['USER-35'],
  manPage: 'proc(5) /proc/pid; prctl(2) PR_SET_DUMPABLE',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.sys('chmodScratch', 'chmod', str('{scratch}'), 0o711);
    s.op.copyexe('copy', '{scratch}/dumper');
    // The exec report blocks writing to this full pipe, so the exec'd process stays alive to be looked at.
    s.op.fullpipe('pipe');
    s.fork('inner', 'clone3', CLONE.NEWUSER, (c) => {
      c.await('mapped', 0);
      becomeNsRoot(c, 'root');
      // The kernel ties /proc ownership to the namespace of the last execve, and an execve that gains
      // capabilities (root with an emptied permitted set) leaves the process non-dumpable. Without
      // CAP_SYS_PTRACE in its bounding set, a viewer holding every other capability can tell that it is.
      c.sys('dropPtrace', 'prctl', PR_CAPBSET_DROP, CAP_SYS_PTRACE);
      c.sys('dropCaps', 'capset', ...capsetArgs({ effective: 0n, permitted: 0n }));
      execFile(c, 'dumperExec', '{scratch}/dumper', 'pipe');
    });
    s.mapIds('map', '{inner}', outerId(who), outerGid(who));
    s.open('innerNs', '/proc/{inner}/ns/user');
    s.post('go', 0);
    s.poll('execed', 'ok', 5000, 'commis', '/proc/{inner}/comm', 'dumper');
    s.stat('outside', '/proc/{inner}/status');
    s.fork('viewer', 'clone3', 0, (c) => {
      c.setns('join', 'innerNs', CLONE.NEWUSER);
      c.stat('inside', '/proc/{inner}/status');
      // The same ids and a superset of its capabilities, but no CAP_SYS_PTRACE in effect: a dumpable process
      // could be looked into, a non-dumpable one cannot.
      becomeNsRoot(c, 'viewer');
      c.sys('viewerDropCaps', 'capset', ...allCapsBut(CAP_SYS_PTRACE, knownCaps()));
      c.readlink('exeDenied', '/proc/{inner}/exe');
      c.readlink('ownExe', '/proc/self/exe');
    });
    s.wait('viewerExit', 'viewer');
    s.sys('stop', 'kill', ref('inner'), SIG.KILL);
    s.wait('innerExit', 'inner');
    return s;
  },
  checks: (who) => [
    expect.ok('mapUidMap'),
    expect.ok('dropPtrace'),
    expect.ok('dropCaps'),
    expect.ok('execed', 'the process ran execve inside the namespace'),
    expect.equals(at('outside', 'uid'), outerId(who), "the owner is the outer id of the namespace's root, not 0"),
    expect.equals(at('outside', 'gid'), outerGid(who)),
    expect.ok('join'),
    expect.equals(at('inside', 'uid'), 0, "inside, that is the namespace's uid 0"),
    expect.equals(at('inside', 'gid'), 0),
    expect.ok('viewerUid'),
    expect.ok('viewerDropCaps'),
    expect.ok('ownExe'),
    expect.errno('exeDenied', ['EACCES', 'EPERM'], 'the exec left the process non-dumpable'),
    expect.killedBy('innerExit', 'SIGKILL'),
  ],
};

export const fileCapabilitiesNeedMappedIds: SpecClaim = {
  key: 'file-caps-need-mapped-ids',
  kinds: ['user'],
  claim:
    'root of a user namespace may read, chmod (keeping set-group-ID) and chown a file whose uid and gid are both mapped; with only the uid mapped it may chmod (CAP_FOWNER) but not read it, set-group-ID is cleared and chown gives EPERM; with the uid unmapped chmod gives EPERM',
  specIds: ['USER-37'],
  manPage: 'user_namespaces(7) "Operation of file-related capabilities"',
  priv: 'R',
  script: () => {
    const s = new Script();
    s.sys('chmodScratch', 'chmod', str('{scratch}'), 0o711);
    rootFile(s, 'both', 'both', BASE + 1, BASE + 1, 0o600);
    rootFile(s, 'uidOnly', 'uidonly', BASE + 1, UNMAPPED, 0o600);
    rootFile(s, 'none', 'none', UNMAPPED, BASE + 1, 0o600);
    s.fork('inner', 'clone3', CLONE.NEWUSER, (c) => {
      c.await('mapped', 0);
      becomeNsRoot(c, 'root');
      c.sys('bothRead', 'openat', AT_FDCWD, str('{scratch}/both'), O.RDONLY | O.CLOEXEC, 0);
      c.sys('bothChmod', 'chmod', str('{scratch}/both'), 0o2640);
      c.stat('bothStat', '{scratch}/both');
      c.sys('bothChown', 'chown', str('{scratch}/both'), 2, 2);
      c.sys('uidOnlyRead', 'openat', AT_FDCWD, str('{scratch}/uidonly'), O.RDONLY | O.CLOEXEC, 0);
      c.sys('uidOnlyChmod', 'chmod', str('{scratch}/uidonly'), 0o2640);
      c.stat('uidOnlyStat', '{scratch}/uidonly');
      c.sys('uidOnlyChown', 'chown', str('{scratch}/uidonly'), 2, 2);
      c.sys('noneRead', 'openat', AT_FDCWD, str('{scratch}/none'), O.RDONLY | O.CLOEXEC, 0);
      c.sys('noneChmod', 'chmod', str('{scratch}/none'), 0o640);
    });
    mapRange(s, 'map', '{inner}');
    s.post('go', 0);
    s.wait('innerExit', 'inner');
    s.stat('bothAfter', '{scratch}/both');
    return s;
  },
  checks: () => [
    expect.ok('noneMode'),
    expect.ok('mapUidMap'),
    expect.ok('rootUid'),
    expect.ok('bothRead', 'CAP_DAC_OVERRIDE applies: uid and gid mapped'),
    expect.ok('bothChmod'),
    expect.equals(at('bothStat', 'mode'), 0o102640, 'CAP_FSETID keeps set-group-ID: the gid is mapped'),
    expect.ok('bothChown', 'CAP_CHOWN applies'),
    expect.equals(at('bothAfter', 'uid'), BASE + 2),
    expect.errno('uidOnlyRead', 'EACCES', 'CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH need the gid mapped too'),
    expect.ok('uidOnlyChmod', 'CAP_FOWNER needs only the uid mapped'),
    expect.equals(at('uidOnlyStat', 'mode'), 0o100640, 'CAP_FSETID does not apply: set-group-ID cleared'),
    expect.errno('uidOnlyChown', 'EPERM', 'CAP_CHOWN needs the gid mapped too'),
    expect.errno('noneRead', 'EACCES'),
    expect.errno('noneChmod', 'EPERM', 'CAP_FOWNER needs the uid mapped'),
  ],
};

/** A host path owned by uid 0 that others may not read (e.g. /root, mode 0700): only a capability could open it. */
function rootOnlyPath(): string {
  for (const path of ['/root', '/etc/shadow', '/etc/gshadow']) {
    try {
      const st = statSync(path);
      if (st.uid === 0 && (st.mode & 0o004) === 0) return path;
    } catch {
      // not on this host: try the next
    }
  }
  return '/root';
}

export const capabilitiesStopAtUnmappedFiles: SpecClaim = {
  key: 'dac-override-unmapped',
  kinds: ['user'],
  claim:
    'root of a user namespace opens its own mode-000 file through CAP_DAC_OVERRIDE, but gets EACCES opening a host path owned by uid 0 that others may not read (uid 0 is not mapped in the namespace)',
  specIds: ['USER-37'],
  manPage: 'user_namespaces(7) "Operation of file-related capabilities"',
  priv: 'U',
  needs: [{ kind: 'unprivileged-ids', distinctFromRoot: true }],
  script: (who) => {
    const s = new Script();
    const uid = outerId(who),
      gid = outerGid(who);
    s.sys('chmodScratch', 'chmod', str('{scratch}'), 0o711);
    s.sys('mkdir', 'mkdir', str('{scratch}/d'), 0o755);
    s.sys('chownDir', 'chown', str('{scratch}/d'), uid, gid);
    s.fork('inner', 'clone3', CLONE.NEWUSER, (c) => {
      c.await('mapped', 0);
      becomeNsRoot(c, 'root');
      c.sys('create', 'openat', AT_FDCWD, str('{scratch}/d/locked'), O.WRONLY | O.CREAT | O.CLOEXEC, 0);
      c.stat('lockedStat', '{scratch}/d/locked');
      c.sys('ownLocked', 'openat', AT_FDCWD, str('{scratch}/d/locked'), O.RDONLY | O.CLOEXEC, 0);
      c.sys('hostRootOnly', 'openat', AT_FDCWD, str(rootOnlyPath()), O.RDONLY | O.CLOEXEC, 0);
    });
    s.mapIds('map', '{inner}', uid, gid);
    s.post('go', 0);
    s.wait('innerExit', 'inner');
    return s;
  },
  checks: () => [
    expect.ok('mapUidMap'),
    expect.ok('rootUid'),
    expect.equals(at('lockedStat', 'mode'), 0o100000, 'a regular file with no permission bits'),
    expect.ok('ownLocked', 'CAP_DAC_OVERRIDE over a file whose ids are mapped'),
    expect.errno(
      'hostRootOnly',
      'EACCES',
      'no CAP_DAC_OVERRIDE or CAP_DAC_READ_SEARCH over a file whose owner is unmapped',
    ),
  ],
};

export const setuidMapsOwner: SpecClaim = {
  key: 'setuid-mapped-owner',
  kinds: ['user'],
  claim:
    "a set-user-ID program run in a user namespace sets the effective uid to the namespace's id for the file's owner; when the owner is not mapped there the bit is silently ignored",
  specIds: ['USER-30'],
  manPage: 'user_namespaces(7) "Set-user-ID and set-group-ID programs"',
  priv: 'R',
  script: () => {
    const s = new Script();
    s.sys('chmodScratch', 'chmod', str('{scratch}'), 0o711);
    s.op.copyexe('copyMapped', '{scratch}/mapped');
    s.sys('mappedOwn', 'chown', str('{scratch}/mapped'), BASE + 1, BASE + 1);
    s.sys('mappedMode', 'chmod', str('{scratch}/mapped'), 0o4755);
    s.op.copyexe('copyUnmapped', '{scratch}/unmapped');
    s.sys('unmappedOwn', 'chown', str('{scratch}/unmapped'), UNMAPPED, UNMAPPED);
    s.sys('unmappedMode', 'chmod', str('{scratch}/unmapped'), 0o4755);
    reportFile(s, 'mappedReport', 'mapped.json');
    reportFile(s, 'unmappedReport', 'unmapped.json');
    s.fork('inner', 'clone3', CLONE.NEWUSER, (c) => {
      c.await('mapped', 0);
      becomeNsRoot(c, 'five', 5);
      c.fork('runMapped', 'clone3', 0, (r) => {
        execFile(r, 'mappedExec', '{scratch}/mapped', 'mappedReport');
      });
      c.wait('mappedExit', 'runMapped');
      c.fork('runUnmapped', 'clone3', 0, (r) => {
        execFile(r, 'unmappedExec', '{scratch}/unmapped', 'unmappedReport');
      });
      c.wait('unmappedExit', 'runUnmapped');
    });
    mapRange(s, 'map', '{inner}');
    s.post('go', 0);
    s.wait('innerExit', 'inner');
    s.read('mappedSeen', '{scratch}/mapped.json');
    s.read('unmappedSeen', '{scratch}/unmapped.json');
    return s;
  },
  checks: () => [
    expect.ok('mappedMode'),
    expect.ok('unmappedMode'),
    expect.ok('fiveUid'),
    expect.exitCode('mappedExit', 0),
    expect.equals(at('mappedSeen', 'text', EUID), 1, 'owner 100001 is uid 1 inside'),
    expect.exitCode('unmappedExit', 0),
    expect.equals(at('unmappedSeen', 'text', EUID), 5, 'owner 200000 is unmapped: euid stays 5'),
  ],
};
