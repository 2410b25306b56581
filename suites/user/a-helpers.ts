// Small script and check helpers shared by the id-map claims of the user suite (USER-01..19).
import type { Script } from '../../harness/script/builder.ts';
import { expect, type Check, type Ref } from '../../harness/script/checks.ts';
import { CLONE } from '../../harness/script/constants.ts';
import { bytes } from '../../harness/script/encode.ts';

const { at } = expect;

export const OVERFLOW_UID_FILE = '/proc/sys/kernel/overflowuid';
export const OVERFLOW_GID_FILE = '/proc/sys/kernel/overflowgid';

/** Reads the overflow uid and gid files (labels overflowUid, overflowGid): what unmapped ids show as. */
export function readOverflowIds(s: Script): void {
  s.read('overflowUid', OVERFLOW_UID_FILE);
  s.read('overflowGid', OVERFLOW_GID_FILE);
}

export const overflowUid: Ref = at('overflowUid', 'text', /(\d+)/);
export const overflowGid: Ref = at('overflowGid', 'text', /(\d+)/);

/** Field `n` (1-based) of the first line of an id-map file read by step `label`. */
export function mapField(label: string, n: 1 | 2 | 3): Ref {
  const skip = '\\s*' + '\\d+\\s+'.repeat(n - 1);
  return at(label, 'text', new RegExp(`^${skip}(\\d+)`));
}

/** Checks that an id-map read shows exactly one line "first lower count". */
export function mapLineIs(label: string, first: number, lower: number, count: number, why?: string): Check[] {
  return [
    expect.equals(mapField(label, 1), first, why),
    expect.equals(mapField(label, 2), lower, why),
    expect.equals(mapField(label, 3), count, why),
  ];
}

/** A child in a new user namespace that only waits for `event`, so the parent can act on its /proc files. */
export function holdingChild(s: Script, label: string, event: number): string {
  return s.fork(label, 'clone3', CLONE.NEWUSER, (c) => {
    c.await(`${label}Hold`, event);
  });
}

/** "first first 1" lines for first = 0 .. n-1: n single-id extents that do not overlap. */
export function identityLines(n: number): string {
  return Array.from({ length: n }, (_, i) => `${i} ${i} 1`).join('\n') + '\n';
}

const CAP_V3 = 0x20080522;
const CAP_SETFCAP = 31;

/** capset(2) arguments: a v3 header for the calling thread, and data with every capability except `drop` effective. */
export function capsetArgs(drop?: number): [string, string] {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(CAP_V3, 0);
  const data = Buffer.alloc(24);
  const all = 0xffffffff;
  // Bits beyond cap_last_cap are masked off by the kernel; inheritable stays empty.
  let low = all, high = all;
  if (drop !== undefined && drop < 32) low = (low & ~(1 << drop)) >>> 0;
  else if (drop !== undefined) high = (high & ~(1 << (drop - 32))) >>> 0;
  data.writeUInt32LE(low, 0);
  data.writeUInt32LE(all, 4);
  data.writeUInt32LE(high, 12);
  data.writeUInt32LE(all, 16);
  return [bytes(header), bytes(data)];
}

export const WITHOUT_SETFCAP = (): [string, string] => capsetArgs(CAP_SETFCAP);
