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

/** The root mount's source and type when it is a /dev block device (a 9p or overlay root has none). */
export function rootBlockDevice(): { source: string; fstype: string } | null {
  for (const line of readOr('/proc/self/mountinfo').split('\n')) {
    const [left, right] = line.split(' - ');
    if (left?.split(' ')[4] === '/' && right) {
      const [fstype, source] = right.split(' ');
      if (fstype && source?.startsWith('/dev/')) return { source, fstype };
    }
  }
  return null;
}

export function probeRootBlockDevice(): Probe {
  const device = rootBlockDevice();
  return device ? yes(`${device.source} (${device.fstype})`) : no('the root filesystem is not on a /dev block device');
}
