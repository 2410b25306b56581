// The scratch files generated steps read: mount tables past every limit of the parser, odd numbers, control bytes.
import type { Rng } from './rng.ts';

export const CRAFTED_FILE_NAMES = [
  'tags-mountinfo',
  'many-mountinfo',
  'big-mountinfo',
  'fields-mountinfo',
  'paths-mountinfo',
  'garbage-mountinfo',
  'odd-mountstats',
  'odd-mounts',
  'negative',
  'huge',
  'words',
  'empty',
  'controls',
] as const;

/** Files the scratch directory holds for the generated steps to read (name → content). */
export function craftedFiles(rng: Rng): Record<(typeof CRAFTED_FILE_NAMES)[number], string | Buffer> {
  const mount = (id: number, point: string, tags: string) =>
    `${id} 1 8:1 / ${point} rw,relatime ${tags} - ext4 /dev/sda1 rw`;
  const tags = (n: number) => Array.from({ length: n }, (_, i) => `shared:${100000 + i}`).join(' ');
  const longPath = `/mnt/${'p'.repeat(300)}`;
  return {
    // 30 optional fields (420 bytes, more than a line's tags buffer) and 40 fields in all (below the 64 a line may have).
    'tags-mountinfo': `${mount(21, '/mnt', tags(30))}\n${mount(22, '/mnt/a', 'master:1 propagate_from:2 unbindable')}\n`,
    'many-mountinfo': Array.from({ length: 700 }, (_, i) => mount(i + 2, `/mnt/m${i}`, 'shared:1')).join('\n'),
    'big-mountinfo': Array.from({ length: 800 }, (_, i) => mount(i + 2, `/mnt/${'b'.repeat(80)}${i}`, '')).join('\n'),
    'fields-mountinfo': `21 1 8:1 / /mnt rw ${'x '.repeat(80)}- ext4 /dev rw\n1 2\n- - - - - - -\n`,
    'paths-mountinfo': Array.from({ length: 12 }, (_, i) => mount(i + 2, i % 2 ? longPath : `${longPath}x`, '')).join(
      '\n',
    ),
    'garbage-mountinfo': Buffer.from(Array.from({ length: 4096 }, () => rng.int(256))),
    'odd-mountstats': 'device a mounted on /mnt with fstype x\ndevice\nno device here at all ok then\n',
    'odd-mounts': 'a /mnt tmpfs rw 0 0\nb\n\n c  d  e  f \n',
    negative: '-9223372036854775808\n',
    huge: '999999999999999999999999999\n',
    words: 'abc\n',
    empty: '',
    controls: Buffer.alloc(2800, 1),
  };
}
