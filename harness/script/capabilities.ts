// capset(2) arguments scripts pass: one encoder for the v3 header and the two 32-bit words of each set.
import { capLastCapOf, fullCapabilityMask } from '../env/host-facts.ts';
import { bytes } from './encode.ts';

const LINUX_CAPABILITY_VERSION_3 = 0x20080522;

/** Every bit: the kernel masks bits past cap_last_cap, so all-ones means "every capability it knows". */
export const ALL_CAPS = 0xffff_ffff_ffff_ffffn;

export const capBit = (cap: number): bigint => 1n << BigInt(cap);

/** Exactly the kernel's capabilities, bits 0..cap_last_cap, for a set that should read back unchanged. */
export function knownCaps(): bigint {
  return fullCapabilityMask(capLastCapOf().value);
}

export interface CapSets {
  readonly effective: bigint;
  readonly permitted: bigint;
  readonly inheritable?: bigint;
}

/** [header, data] for capset(2) on the calling thread: struct __user_cap_header_struct and __user_cap_data_struct[2]. */
export function capsetArgs(sets: CapSets): [header: string, data: string] {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(LINUX_CAPABILITY_VERSION_3, 0);
  const data = Buffer.alloc(24);
  [sets.effective, sets.permitted, sets.inheritable ?? 0n].forEach((set, field) => {
    data.writeUInt32LE(Number(set & 0xffffffffn), 4 * field);
    data.writeUInt32LE(Number((set >> 32n) & 0xffffffffn), 12 + 4 * field);
  });
  return [bytes(header), bytes(data)];
}

/** Every capability permitted and all but `cap` effective (all effective when cap is omitted). */
export function allCapsBut(cap?: number, all: bigint = ALL_CAPS): [header: string, data: string] {
  return capsetArgs({ effective: cap === undefined ? all : all & ~capBit(cap), permitted: all });
}
