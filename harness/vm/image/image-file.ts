// The cloud image a user passed to nsconform vm --image: a qcow2 or raw file, as qemu-img reads it.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { UsageError } from '../../errors.ts';
import { QEMU_IMG } from './image-tools.ts';
import { findTool } from '../tools.ts';

export type ImageFormat = 'qcow2' | 'raw';

export interface CloudImage {
  readonly path: string;
  readonly format: ImageFormat;
  readonly virtualBytes: number;
  /** The reports directory's name: the file's name without its image extensions. */
  readonly name: string;
}

/** debian-12-genericcloud-amd64.qcow2 → debian-12-genericcloud-amd64; Fedora-Cloud-Base-Generic-43-1.6.x86_64.qcow2 keeps its dots. */
export function imageName(path: string): string {
  return basename(path).replace(/(\.(qcow2|raw|img|disk))+$/i, '') || 'image';
}

export function inspectImage(given: string): CloudImage {
  const path = resolve(given);
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    throw new UsageError(
      `--image ${given}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  if (!stat.isFile()) throw new UsageError(`--image ${given} is not a regular file (a qcow2 or raw disk image)`);
  const info = spawnSync(findTool(QEMU_IMG), ['info', '--output=json', path], { encoding: 'utf8' });
  if (info.status !== 0)
    throw new UsageError(
      `--image ${given}: qemu-img cannot read it (${(info.stderr || '').trim().split('\n').pop() ?? 'no reason given'})`,
    );
  const parsed = JSON.parse(info.stdout) as { format?: string; 'virtual-size'?: number };
  if (parsed.format !== 'qcow2' && parsed.format !== 'raw')
    throw new UsageError(
      `--image ${given} is a ${parsed.format ?? 'unknown'} image: nsconform vm boots qcow2 or raw images (convert it: qemu-img convert -O qcow2 …)`,
    );
  return { path, format: parsed.format, virtualBytes: parsed['virtual-size'] ?? 0, name: imageName(path) };
}
