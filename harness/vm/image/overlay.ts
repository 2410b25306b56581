// A copy-on-write overlay over the user's image, in the run's private directory: the guest writes there, never to the image.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { EnvironmentError } from '../../errors.ts';
import { findTool } from '../tools.ts';
import type { CloudImage } from './image-file.ts';
import { QEMU_IMG } from './image-tools.ts';

/** Room for the compiler and Node the guest may install: cloud images ship 2–5 GiB disks that cloud-init grows to fit. */
const MIN_BYTES = 8 * 1024 ** 3;

export function makeOverlay(image: CloudImage, workDir: string): string {
  const overlay = join(workDir, 'overlay.qcow2');
  const bytes = Math.max(image.virtualBytes, MIN_BYTES);
  const made = spawnSync(
    findTool(QEMU_IMG),
    ['create', '-q', '-f', 'qcow2', '-b', image.path, '-F', image.format, overlay, String(bytes)],
    { encoding: 'utf8' },
  );
  if (made.status !== 0)
    throw new EnvironmentError(
      `qemu-img create (an overlay over ${image.path}) failed: ${(made.stderr || '').trim().split('\n').pop() ?? `exit ${made.status}`}`,
    );
  return overlay;
}
