// What the kernel can mount: /proc/filesystems or a module it autoloads, and the block device (if any) the root filesystem lives on.
import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { no, yes, type Probe } from './probe.ts';
import { parseMountinfo, type MountEntry } from './mount-table.ts';

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** What the filesystem probe reads: this machine, or a test's stand-in. */
export interface ModuleHost {
  read(path: string): string;
  exists(path: string): boolean;
  release: string;
}

const THIS_HOST: ModuleHost = { read: readOr, exists: existsSync, release: release() };

/**
 * A filesystem the kernel can mount: registered (/proc/filesystems), or a module the kernel loads on the first mount
 * (get_fs_type runs modprobe for "fs-<name>", which modules.alias resolves), as an unloaded overlay module is.
 */
export function probeFilesystem(name: string, host: ModuleHost = THIS_HOST): Probe {
  const listed = host
    .read('/proc/filesystems')
    .split('\n')
    .some((line) => line.split('\t').pop() === name);
  if (listed) return yes(`${name} is in /proc/filesystems`);
  const absent = `${name} is not in /proc/filesystems`;
  const modprobe = host.read('/proc/sys/kernel/modprobe').trim();
  if (!modprobe)
    return no(`${absent}, and this kernel loads no modules (/proc/sys/kernel/modprobe is missing or empty)`);
  if (host.read('/proc/sys/kernel/modules_disabled').trim() === '1')
    return no(`${absent}, and module loading is off (/proc/sys/kernel/modules_disabled is 1)`);
  if (!host.exists(modprobe))
    return no(`${absent}, and ${modprobe} (/proc/sys/kernel/modprobe), which would load it, is missing`);
  const aliases = `/lib/modules/${host.release}/modules.alias`;
  const module = host
    .read(aliases)
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find(([word, alias]) => word === 'alias' && alias === `fs-${name}`)?.[2];
  return module
    ? yes(
        `${name} is not loaded; the kernel loads it on mount (${aliases}: fs-${name} is module ${module}; ${modprobe})`,
      )
    : no(`${absent}, and ${aliases} names no module for fs-${name} (not built, or its modules are not installed)`);
}

/** The harness's own mount table. */
function ownMounts(): MountEntry[] {
  return parseMountinfo(readOr('/proc/self/mountinfo'));
}

/** The root mount's source and type when it is a /dev block device (a 9p or overlay root has none). */
export function rootBlockDevice(): { source: string; fstype: string } | null {
  const root = ownMounts().find((mount) => mount.mountPoint === '/' && mount.source.startsWith('/dev/'));
  return root ? { source: root.source, fstype: root.fstype } : null;
}

/** Where cgroup v2 is mounted here: /sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid hosts. */
export function cgroup2Mount(): string {
  return ownMounts().find((mount) => mount.fstype === 'cgroup2')?.mountPoint ?? '/sys/fs/cgroup';
}

export function probeRootBlockDevice(): Probe {
  const device = rootBlockDevice();
  return device
    ? yes(`${device.source} (${device.fstype})`)
    : no(
        'the root filesystem is not on a /dev block device (/proc/self/mountinfo) — run on a host or VM whose / is a disk filesystem',
      );
}
