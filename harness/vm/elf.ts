// Whether an executable is statically linked: an ELF with no PT_INTERP program header.
import { readFileSync } from 'node:fs';

const PT_INTERP = 3;

export function isStaticElf(path: string): boolean {
  const elf = readFileSync(path);
  if (elf.toString('latin1', 1, 4) !== 'ELF' || elf[4] !== 2) return false; // 64-bit only: the guests are x86_64
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phentsize = elf.readUInt16LE(0x36);
  const phnum = elf.readUInt16LE(0x38);
  for (let index = 0; index < phnum; index++) {
    if (elf.readUInt32LE(phoff + index * phentsize) === PT_INTERP) return false;
  }
  return true;
}
