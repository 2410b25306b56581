// How the guest reaches the host's tree: 9p where the kernel has it, else an ext4 disk image over virtio-blk.
import { EnvironmentError } from '../errors.ts';
import type { ModuleTree } from './modules.ts';

export type ShareKind = '9p' | 'disk';

/**
 * What each way needs of the kernel. virtiofs is not offered: it needs virtiofsd on the host, which
 * Debian packages from trixie on only; a kernel with virtiofs has virtio-blk and ext4 too.
 */
export const SHARE_MODULES: Record<ShareKind, readonly string[]> = {
  '9p': ['virtio_pci', '9pnet_virtio', '9p'],
  disk: ['virtio_pci', 'virtio_blk', 'ext4'],
};

/**
 * Loaded when the kernel has them as files, not required: ext4 up to at least 5.10 asks the crypto
 * API for crc32c at every mount ("Cannot load crc32c driver"), which no depends= names.
 */
export const SHARE_EXTRAS: Record<ShareKind, readonly string[]> = { '9p': [], disk: ['crc32c_generic'] };

/** With no modules directory nothing can be checked: 9p is assumed built in, and the mount will say if not. */
export function chooseShare(tree: ModuleTree | null, release: string): ShareKind {
  if (!tree) return '9p';
  for (const kind of ['9p', 'disk'] as const) {
    if (SHARE_MODULES[kind].every((name) => tree.state(name) !== 'absent')) return kind;
  }
  const missing = (kind: ShareKind): string =>
    SHARE_MODULES[kind].filter((name) => tree.state(name) === 'absent').join(', ');
  throw new EnvironmentError(
    `${release} cannot reach the host's tree: it lacks ${missing('9p')} (for 9p) and ${missing('disk')} (for a virtio-blk disk)`,
  );
}
