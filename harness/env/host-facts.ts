// Facts about the runner read from /proc, /sys and uname, without creating anything.
import { readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { release, machine, tmpdir, version } from 'node:os';
import { NAMESPACES } from '../namespaces.ts';
import { mountAt, parseMountinfo } from './mount-table.ts';

export function readProcText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function readNumber(path: string): number | null {
  const text = readProcText(path);
  const value = text === null ? Number.NaN : Number.parseInt(text.trim(), 10);
  return Number.isFinite(value) ? value : null;
}

function statusField(status: string, field: string): string | null {
  const line = status.split('\n').find((entry) => entry.startsWith(`${field}:`));
  return line ? line.slice(field.length + 1).trim() : null;
}

/** Sysctls that decide what the suite can do; they head every report. */
export const REPORTED_SYSCTLS: readonly string[] = [
  ...NAMESPACES.map((kind) => `user/max_${kind.name}_namespaces`),
  'kernel/unprivileged_userns_clone',
  'kernel/apparmor_restrict_unprivileged_userns',
  'kernel/overflowuid',
  'kernel/overflowgid',
  'kernel/cap_last_cap',
  'kernel/pid_max',
];

/** The inode numbers the kernel gives its initial user and PID namespaces (PROC_USER_INIT_INO, PROC_PID_INIT_INO). */
const INITIAL_USER_NS_INODE = 4026531837;
const INITIAL_PID_NS_INODE = 4026531836;

export interface HostFacts {
  kernelRelease: string;
  /** uname -v: what the kernel says about its build (gVisor answers with a fixed 2016 date). */
  kernelVersion: string;
  /** /proc/version as read, or null. */
  procVersion: string | null;
  machine: string;
  nodeVersion: string;
  uid: number;
  euid: number;
  gid: number;
  effectiveCaps: string;
  boundingCaps: string;
  /** The highest capability number the kernel knows, and where that came from. */
  capLastCap: number;
  capLastCapSource: string;
  overflowuid: number;
  overflowgid: number;
  uidMap: string | null;
  gidMap: string | null;
  projidMap: string | null;
  /** /proc/self/setgroups: "allow", or "deny" where the runner's user namespace denies setgroups(2). */
  setgroups: string | null;
  /** /proc/self/ns/user is the kernel's initial user namespace (inode 4026531837); null when it cannot be read. */
  inInitialUserNs: boolean | null;
  /** PID namespaces above the runner's: exact, or a lower bound when the levels above are hidden (spec §2 note 3). */
  pidNamespaceDepth: { value: number; exact: boolean };
  /** Seccomp: 0 none, 1 strict, 2 filter (proc(5)); filters is Seccomp_filters (since 5.9), null when absent. */
  seccomp: { mode: number | null; filters: number | null };
  /** /sys/kernel/security/lsm, split; null when securityfs is not mounted or not readable. */
  lsms: string[] | null;
  /** The runner's AppArmor label (/proc/self/attr/apparmor/current or attr/current), null when there is none. */
  apparmorLabel: string | null;
  /** The runner runs in a chroot (see chrootOf); null when nothing tells. */
  chrooted: boolean | null;
  /** What tells chrooted. */
  chrootEvidence: string;
  /** /proc/self/mountinfo as read, or null. */
  mountinfo: string | null;
  /** Where a session makes its scratch dir (os.tmpdir(), i.e. TMPDIR), symlinks resolved: its mount's flags apply to the cases' files. */
  scratchParent: string;
  sysctls: Record<string, string | null>;
}

function nsInode(path: string): number | null {
  try {
    const match = /\[(\d+)\]$/.exec(readlinkSync(path));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** cap_last_cap when readable; else the highest bit of a full bounding set, which is at least that (say so). */
export function capLastCapOf(
  boundingCaps: string = statusField(readProcText('/proc/self/status') ?? '', 'CapBnd') ?? '',
): { value: number; source: string } {
  const fromFile = readNumber('/proc/sys/kernel/cap_last_cap');
  if (fromFile !== null) return { value: fromFile, source: '/proc/sys/kernel/cap_last_cap' };
  const bits = /^[0-9a-f]+$/i.test(boundingCaps) ? BigInt(`0x${boundingCaps}`).toString(2).length - 1 : -1;
  return bits >= 0
    ? {
        value: bits,
        source: `highest bit of CapBnd ${boundingCaps} (/proc/sys/kernel/cap_last_cap is unreadable; a smaller bounding set would understate it)`,
      }
    : { value: 40, source: 'unknown: neither /proc/sys/kernel/cap_last_cap nor CapBnd could be read; 40 assumed' };
}

function pidDepthOf(nspid: string | null): { value: number; exact: boolean } {
  const visible = nspid ? nspid.split(/\s+/).length - 1 : 0;
  const inode = nsInode('/proc/self/ns/pid');
  if (inode === INITIAL_PID_NS_INODE) return { value: 0, exact: true };
  // A PID namespace of its own with /proc mounted in it shows one NSpid level: at least 1 all the same.
  return { value: Math.max(visible, inode === null ? visible : 1), exact: false };
}

/**
 * The kernel calls a task chrooted when its root is not its mount namespace's root (current_chrooted()).
 * mountinfo prints mount points relative to the reader's root: no mount at "/" means the root is a
 * directory inside a mount — a chroot. Otherwise PID 1's root is compared by device and inode where it can
 * be read (root without CAP_SYS_PTRACE over PID 1 gets EACCES), else PID 1's own mountinfo: the same
 * mount (id and root) at "/" in both means the same root.
 */
export function chrootOf(
  ownMountinfo: string | null,
  readInitRoot: () => { dev: number; ino: number } | null,
  initMountinfo: string | null,
): { chrooted: boolean | null; evidence: string } {
  if (ownMountinfo === null) return { chrooted: null, evidence: '/proc/self/mountinfo is unreadable' };
  const own = mountAt(parseMountinfo(ownMountinfo), '/');
  if (!own)
    return {
      chrooted: true,
      evidence: '/proc/self/mountinfo shows no mount at /: the root is a directory inside a mount',
    };
  const root = statSync('/');
  const init = readInitRoot();
  if (init) {
    const same = init.dev === root.dev && init.ino === root.ino;
    return { chrooted: !same, evidence: `/ is ${root.dev}:${root.ino}, /proc/1/root ${init.dev}:${init.ino}` };
  }
  const initRoot = initMountinfo === null ? undefined : mountAt(parseMountinfo(initMountinfo), '/');
  if (initRoot && initRoot.id === own.id && initRoot.root === own.root)
    return { chrooted: false, evidence: `/ is mount ${own.id} (root ${own.root}), as for PID 1 (/proc/1/mountinfo)` };
  return {
    chrooted: null,
    evidence: `/ is mount ${own.id}; /proc/1/root is unreadable and PID 1's / is ${initRoot ? `mount ${initRoot.id}` : 'not readable'}`,
  };
}

function initRootOf(): { dev: number; ino: number } | null {
  try {
    return statSync('/proc/1/root/');
  } catch {
    return null;
  }
}

function apparmorLabelOf(): string | null {
  const text = readProcText('/proc/self/attr/apparmor/current') ?? readProcText('/proc/self/attr/current');
  const label = text?.replace(/\0/g, '').trim();
  return label ? label : null;
}

/** The session's scratch dir is made below os.tmpdir() (harness/cli/session.ts); a missing TMPDIR stays as named. */
function resolvedTmpdir(): string {
  try {
    return realpathSync(tmpdir());
  } catch {
    return tmpdir();
  }
}

export function readHostFacts(): HostFacts {
  const status = readProcText('/proc/self/status') ?? '';
  const numberField = (field: string): number | null => {
    const value = statusField(status, field);
    return value === null ? null : Number(value);
  };
  const boundingCaps = statusField(status, 'CapBnd') ?? 'unknown';
  const capLastCap = capLastCapOf(boundingCaps);
  const userInode = nsInode('/proc/self/ns/user');
  const uidMap = readProcText('/proc/self/uid_map');
  const mountinfo = readProcText('/proc/self/mountinfo');
  const chroot = chrootOf(mountinfo, initRootOf, readProcText('/proc/1/mountinfo'));
  return {
    kernelRelease: release(),
    kernelVersion: version(),
    procVersion: readProcText('/proc/version')?.trim() ?? null,
    machine: machine(),
    nodeVersion: process.version,
    uid: process.getuid?.() ?? -1,
    euid: process.geteuid?.() ?? -1,
    gid: process.getgid?.() ?? -1,
    effectiveCaps: statusField(status, 'CapEff') ?? 'unknown',
    boundingCaps,
    capLastCap: capLastCap.value,
    capLastCapSource: capLastCap.source,
    overflowuid: readNumber('/proc/sys/kernel/overflowuid') ?? 65534,
    overflowgid: readNumber('/proc/sys/kernel/overflowgid') ?? 65534,
    uidMap,
    gidMap: readProcText('/proc/self/gid_map'),
    projidMap: readProcText('/proc/self/projid_map'),
    setgroups: readProcText('/proc/self/setgroups')?.trim() ?? null,
    inInitialUserNs:
      userInode === null
        ? uidMap === null
          ? null
          : isInitialUserNamespaceMap(uidMap)
        : userInode === INITIAL_USER_NS_INODE,
    pidNamespaceDepth: pidDepthOf(statusField(status, 'NSpid')),
    seccomp: { mode: numberField('Seccomp'), filters: numberField('Seccomp_filters') },
    lsms: readProcText('/sys/kernel/security/lsm')?.trim().split(',').filter(Boolean) ?? null,
    apparmorLabel: apparmorLabelOf(),
    chrooted: chroot.chrooted,
    chrootEvidence: chroot.evidence,
    mountinfo,
    scratchParent: resolvedTmpdir(),
    sysctls: Object.fromEntries(
      REPORTED_SYSCTLS.map((name) => [name.replace('/', '.'), readProcText(`/proc/sys/${name}`)?.trim() ?? null]),
    ),
  };
}

/** The capability mask with every capability up to cap_last_cap set, as /proc/<pid>/status prints it. */
export function fullCapabilityMask(capLastCap: number): bigint {
  return (1n << BigInt(capLastCap + 1)) - 1n;
}

export function isInitialUserNamespaceMap(uidMap: string | null): boolean {
  return uidMap !== null && uidMap.trim().split(/\s+/).join(' ') === '0 0 4294967295';
}
