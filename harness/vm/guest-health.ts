// The guest kernel's own health around the run: new taint flags, and warnings, bugs and oopses in its log.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Documentation/admin-guide/tainted-kernels.rst, bit 0 upwards. */
const TAINT_LETTERS = 'PFSRMBUDAWCIOELKXTN';

/** Lines a kernel prints when something went wrong inside it. */
const SPLAT =
  /\b(WARNING:|BUG:|Oops|general protection fault|Kernel panic|UBSAN:|KASAN:|refcount_t:|list_(add|del) corruption)|INFO: task .* blocked/;

export function describeTaint(bits: number): string {
  return [...TAINT_LETTERS].filter((_, bit) => bits & (1 << bit)).join('') || '-';
}

/** Console lines that say the kernel itself broke (a panic or oops ends the guest early). */
export function findSplats(log: string): string[] {
  return log
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => SPLAT.test(line));
}

function readNumber(path: string): number | null {
  if (!existsSync(path)) return null;
  const value = Number.parseInt(readFileSync(path, 'utf8'), 10);
  return Number.isFinite(value) ? value : null;
}

/** Problems found, each one line; empty when the kernel stayed healthy (or, with no files, when nothing could be read). */
export function judgeHealth(outDir: string): { problems: string[]; checked: boolean } {
  const before = readNumber(join(outDir, 'taint.before'));
  const after = readNumber(join(outDir, 'taint.after'));
  const dmesg = join(outDir, 'dmesg.run');
  if (before === null || after === null || !existsSync(dmesg)) return { problems: [], checked: false };
  const problems: string[] = [];
  const added = after & ~before;
  if (added)
    problems.push(`the kernel became tainted during the run: ${before} → ${after} (new flags ${describeTaint(added)})`);
  problems.push(
    ...findSplats(readFileSync(dmesg, 'utf8'))
      .slice(0, 20)
      .map((line) => `kernel log: ${line.trim()}`),
  );
  return { problems, checked: true };
}
