// Restrictions read from the runner's mount table: a /proc or /sys partly hidden (masked paths), no writable cgroup2, a nosuid scratch.
import type { RevealingFs } from '../script/builder.ts';
import type { Environment } from './environment.ts';
import { mountAt, mountContaining, parseMountinfo, type MountEntry } from './mount-table.ts';
import { containmentRestriction, type Restriction } from './restrictions.ts';

/**
 * Directories the kernel itself makes empty to be mounted on (proc_create_mount_point, sysfs_create_mount_point):
 * a mount there hides nothing, so it does not stop a new proc or sysfs mount (fs/namespace.c mnt_already_visible).
 */
const KERNEL_MOUNT_POINTS = new Set([
  '/proc/sys/fs/binfmt_misc',
  '/sys/fs/cgroup',
  '/sys/fs/bpf',
  '/sys/fs/pstore',
  '/sys/fs/fuse/connections',
  '/sys/fs/selinux',
  '/sys/fs/resctrl',
  '/sys/kernel/security',
  '/sys/kernel/debug',
  '/sys/kernel/tracing',
  '/sys/kernel/config',
  '/sys/firmware/efi/efivars',
]);

const WHERE: Record<RevealingFs, string> = { proc: '/proc', sysfs: '/sys' };

/** What keeps a mount of the filesystem from showing all of it: mounts over its paths, a read-only flag. */
function hiddenBy(table: readonly MountEntry[], mount: MountEntry): string[] {
  const over = table
    .filter((entry) => entry.parent === mount.id && !KERNEL_MOUNT_POINTS.has(entry.mountPoint))
    .map((entry) => entry.mountPoint);
  return [
    ...(mount.options.includes('ro') ? [`${mount.mountPoint} is mounted read-only`] : []),
    ...(over.length ? [`${over.join(', ')} ${over.length === 1 ? 'is' : 'are'} mounted over it`] : []),
  ];
}

/**
 * A user namespace may mount a new proc or sysfs only where the runner already sees one whole and writable
 * (mount_too_revealing); container runtimes mask and remount paths of both (Docker: /proc/kcore, /proc/sys, /sys/firmware).
 */
export function revealingMountRestriction(env: Environment, fs: RevealingFs): Restriction | null {
  // A contained case sees the fresh /proc its init mounted (native/PROTOCOL.md "Containment"), not the runner's.
  if (env.host.mountinfo === null || (fs === 'proc' && env.host.euid === 0 && containmentRestriction(env) === null))
    return null;
  const table = parseMountinfo(env.host.mountinfo);
  const mounts = table.filter((entry) => entry.fstype === fs && entry.root === '/');
  if (mounts.some((mount) => hiddenBy(table, mount).length === 0)) return null;
  const shown = mountAt(table, WHERE[fs]);
  const evidence = shown?.fstype === fs ? hiddenBy(table, shown).join('; ') : `no ${fs} is mounted at ${WHERE[fs]}`;
  return {
    name: `the runner sees ${WHERE[fs]} only in part, so a user namespace may not mount a new ${fs} (mount_too_revealing)`,
    evidence: `/proc/self/mountinfo: ${evidence}`,
    lift:
      fs === 'proc'
        ? 'unmask /proc (docker run --security-opt systempaths=unconfined, or --privileged)'
        : 'give the runner a read-write /sys with nothing mounted over it (docker run --privileged; systempaths=unconfined unmasks but leaves /sys read-only)',
  };
}

/** Cgroup claims make cgroups of their own in the cgroup2 hierarchy, or read its options: it must be mounted (and writable). */
export function cgroup2Restriction(env: Environment, writable: boolean): Restriction | null {
  if (env.host.mountinfo === null) return null;
  const mounts = parseMountinfo(env.host.mountinfo).filter((entry) => entry.fstype === 'cgroup2');
  const lift =
    'mount cgroup2 read-write where the runner runs (on the host or a VM it is; docker run --privileged, or -v /sys/fs/cgroup:/sys/fs/cgroup:rw on a cgroup v2 host)';
  if (mounts.length === 0)
    return {
      name: 'no cgroup2 hierarchy is mounted here',
      evidence: '/proc/self/mountinfo lists no cgroup2 mount',
      lift,
    };
  if (!writable || mounts.some((mount) => !mount.options.includes('ro'))) return null;
  return {
    name: 'the cgroup2 hierarchy is mounted read-only here',
    evidence: `/proc/self/mountinfo: ${mounts.map((mount) => `${mount.mountPoint} ro`).join(', ')}`,
    lift,
  };
}

/**
 * Claims that execve a set-user-ID copy or one with file capabilities make it in the scratch dir, below TMPDIR; on a
 * nosuid mount execve ignores both (mount(2) MS_NOSUID), and contained cases see that mount through a bind mount.
 */
export function nosuidScratchRestriction(env: Environment): Restriction | null {
  if (env.host.mountinfo === null) return null;
  const mount = mountContaining(parseMountinfo(env.host.mountinfo), env.host.scratchParent);
  if (!mount?.options.includes('nosuid')) return null;
  return {
    name: `the scratch location ${env.host.scratchParent} is on a nosuid mount, where execve ignores set-user-ID bits and file capabilities`,
    evidence: `/proc/self/mountinfo: ${mount.mountPoint} (${mount.fstype}) is mounted ${mount.options.join(',')}`,
    lift: 'set TMPDIR to a directory on a mount without nosuid (findmnt -T <dir> -o OPTIONS shows its flags)',
  };
}
