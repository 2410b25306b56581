// The initramfs: a static busybox, the modules the guest needs (uncompressed), and /init.
import { readFileSync } from 'node:fs';
import { writeCpio, type CpioEntry } from './cpio.ts';

export function buildInitramfs(
  busybox: string,
  modules: ReadonlyArray<{ name: string; data: Buffer }>,
  init: string,
): Buffer {
  const entries: CpioEntry[] = [
    ...['bin', 'dev', 'proc', 'sys', 'host', 'modules', 'tmp'].map((path): CpioEntry => ({ kind: 'dir', path })),
    // The kernel opens /dev/console for init's stdio before devtmpfs is mounted.
    { kind: 'chardev', path: 'dev/console', major: 5, minor: 1 },
    { kind: 'file', path: 'bin/busybox', data: readFileSync(busybox), mode: 0o755 },
    { kind: 'file', path: 'init', data: Buffer.from(init), mode: 0o755 },
    ...modules.map((module): CpioEntry => ({ kind: 'file', path: `modules/${module.name}.ko`, data: module.data })),
  ];
  return writeCpio(entries);
}
