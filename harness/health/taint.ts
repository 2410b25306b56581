// The kernel's taint flags (/proc/sys/kernel/tainted), as the letters Documentation/admin-guide/tainted-kernels.rst gives them.
import { readFileSync } from 'node:fs';

export const TAINTED_FILE = '/proc/sys/kernel/tainted';

/** Bit → letter and meaning, in bit order. */
const TAINT_FLAGS: ReadonlyArray<readonly [string, string]> = [
  ['P', 'proprietary module loaded'],
  ['F', 'module force-loaded'],
  ['S', 'kernel running on an out-of-spec system'],
  ['R', 'module force-unloaded'],
  ['M', 'machine check exception'],
  ['B', 'bad page referenced'],
  ['U', 'taint requested by userspace'],
  ['D', 'kernel died recently (OOPS or BUG)'],
  ['A', 'ACPI table overridden'],
  ['W', 'kernel issued a warning'],
  ['C', 'staging driver loaded'],
  ['I', 'firmware bug workaround'],
  ['O', 'out-of-tree module loaded'],
  ['E', 'unsigned module loaded'],
  ['L', 'soft lockup occurred'],
  ['K', 'kernel live-patched'],
  ['X', 'auxiliary taint'],
  ['T', 'built with the struct randomization plugin'],
  ['N', 'in-kernel test run'],
  ['J', 'userspace used a mutating debug operation in fwctl'],
];

/** "W (kernel issued a warning), D (…)" for the bits set in mask; unknown bits by number. */
export function describeTaint(mask: bigint): string {
  const parts: string[] = [];
  for (let bit = 0n; mask >> bit !== 0n; bit += 1n) {
    if (((mask >> bit) & 1n) === 0n) continue;
    const flag = TAINT_FLAGS[Number(bit)];
    parts.push(flag ? `${flag[0]} (${flag[1]})` : `bit ${bit}`);
  }
  return parts.join(', ');
}

export type TaintReading = { ok: true; mask: bigint } | { ok: false; reason: string };

export function readTaint(file = TAINTED_FILE): TaintReading {
  try {
    const text = readFileSync(file, 'utf8').trim();
    if (!/^\d+$/.test(text)) return { ok: false, reason: `${file} reads ${JSON.stringify(text)}, not a number` };
    return { ok: true, mask: BigInt(text) };
  } catch (error) {
    return {
      ok: false,
      reason: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    };
  }
}
