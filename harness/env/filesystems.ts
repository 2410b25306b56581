// What the kernel can mount: /proc/filesystems, and the block device (if any) the root filesystem lives on.
import { readFileSync } from 'node:fs';
import { no, yes, type Probe } from './probe.ts';

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function probeFilesystem(name: string): Probe {
  const listed = readOr('/proc/filesystems').split('\n').some((line) => line.split('\t').pop() === name);
  return listed ? yes(`${name} is in /proc/filesystems`) : no(`${name} is not in /proc/filesystems (not built, or a module that is not loaded)`);
}

interface Mount {
  readonly mountPoint: string;
  readonly fstype: string;
  readonly source: string;
}

/** The harness's own mount table, from /proc/self/mountinfo (proc(5)): mount point, fs type and source of each line. */
function ownMounts(): Mount[] {
  return readOr('/proc/self/mountinfo')
    .split('\n')
    .flatMap((line) => {
      const [left, right] = line.split(' - ');
      const mountPoint = left?.split(' ')[4];
      const [fstype, source] = right?.split(' ') ?? [];
      return mountPoint && fstype && source ? [{ mountPoint, fstype, source }] : [];
    });
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
  return device ? yes(`${device.source} (${device.fstype})`) : no('the root filesystem is not on a /dev block device');
}
