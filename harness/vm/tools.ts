// The host programs a VM run needs, each with the one line that says how to get it.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { EnvironmentError } from '../errors.ts';

export interface Tool {
  readonly command: string;
  readonly install: string;
}

export const QEMU: Tool = { command: 'qemu-system-x86_64', install: 'apt-get install qemu-system-x86' };
export const DPKG_DEB: Tool = { command: 'dpkg-deb', install: 'apt-get install dpkg' };
export const APT_GET: Tool = {
  command: 'apt-get',
  install: 'a Debian or Ubuntu host (apt-get), or pass --kernel a .deb or an image file',
};
/** Debian's busybox-static: the initramfs must not depend on the host's shared libraries. */
export const XZ: Tool = { command: 'xz', install: 'apt-get install xz-utils' };
export const ZSTD: Tool = { command: 'zstd', install: 'apt-get install zstd' };
/** An ext4 image of what the guest run needs, for kernels without 9p (mkfs.ext4 -d fills it from a directory). */
export const MKFS_EXT4: Tool = { command: 'mkfs.ext4', install: 'apt-get install e2fsprogs' };
export const BUSYBOX: Tool = { command: 'busybox', install: 'apt-get install busybox-static' };

export function findTool(tool: Tool): string {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const path = join(dir, tool.command);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this directory
    }
  }
  throw new EnvironmentError(`${tool.command} not found: install it with "${tool.install}"`);
}
