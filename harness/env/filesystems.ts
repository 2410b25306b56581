// What the kernel can mount: /proc/filesystems, and the block device (if any) the root filesystem lives on.
import { readFileSync } from 'node:fs';
import { no, yes, type Probe } from './probe.ts';
import { parseMountinfo, type MountEntry } from './mount-table.ts';

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function probeFilesystem(name: string): Probe {
  const listed = readOr('/proc/filesystems')
    .split('\n')
    .some((line) => line.split('\t').pop() === name);
  return listed
    ? yes(`${name} is in /proc/filesystems`)
    : no(`${name} is not in /proc/filesystems (not built, or a module that is not loaded)`);
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
