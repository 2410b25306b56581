// Whether an executable is statically linked: an ELF with no PT_INTERP program header.
import { readFileSync } from 'node:fs';

const PT_INTERP = 3;

export function isStaticElf(path: string): boolean {
  return isStaticElfImage(readFileSync(path));
}

/** The same test on bytes already read, e.g. from a descriptor whose owner and mode were checked first. */
export function isStaticElfImage(elf: Buffer): boolean {
  if (elf.length < 0x40) return false;
  if (elf.toString('latin1', 1, 4) !== 'ELF' || elf[4] !== 2) return false; // 64-bit only: the guests are x86_64
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phentsize = elf.readUInt16LE(0x36);
  const phnum = elf.readUInt16LE(0x38);
  for (let index = 0; index < phnum; index++) {
    if (elf.readUInt32LE(phoff + index * phentsize) === PT_INTERP) return false;
  }
  return true;
}
