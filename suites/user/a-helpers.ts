// Small script and check helpers shared by the id-map claims of the user suite (USER-01..19).
import type { Script } from '../../harness/script/builder.ts';
import { expect, type Check, type Ref } from '../../harness/script/checks.ts';
import { CLONE } from '../../harness/script/constants.ts';
import { allCapsBut } from '../../harness/script/capabilities.ts';

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

const CAP_SETFCAP = 31;

/** capset(2) arguments: every capability, CAP_SETFCAP not effective. */
export const WITHOUT_SETFCAP = (): [string, string] => allCapsBut(CAP_SETFCAP);
