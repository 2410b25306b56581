// The kernel-health cases: no new taint flag and no kernel warning, BUG or oops logged while the run ran.
import type { CaseInfo, CaseResult } from '../case.ts';
import { describeTaint, readTaint, TAINTED_FILE, type TaintReading } from './taint.ts';
import { readKmsg, type KmsgReading } from './kmsg.ts';

const SPLAT = /WARNING:|BUG:|Oops|general protection|refcount_t/;
const KERNEL_FACILITY = 0;
const SHOWN_LINES = 40;

/** key: the case's short stable name (LAVA and KCIDB names are made from it). */
function healthCase(key: string, name: string, claim: string): CaseInfo {
  return {
    id: `kernel-health › ${name}`,
    suite: 'kernel-health',
    classname: 'kernel-health',
    name,
    claim,
    specIds: [],
    manPage: 'Documentation/admin-guide/tainted-kernels.rst; dmesg(1)',
    needs: [],
    serial: true,
    properties: { key },
  };
}

export const TAINT_CASE = healthCase(
  'no-new-taint',
  'the kernel did not taint itself during the run',
  `${TAINTED_FILE} gains no flag while the cases run`,
);
export const SPLAT_CASE = healthCase(
  'no-splat',
  'the kernel logged no warning, BUG or oops during the run',
  'no kernel log line from the run matches WARNING:, BUG:, Oops, general protection or refcount_t',
);
export const HEALTH_CASES: readonly CaseInfo[] = [TAINT_CASE, SPLAT_CASE];

export interface HealthSnapshot {
  readonly taint: TaintReading;
  /** The newest log sequence number at the start: later records are the run's. */
  readonly lastSeq: number | null;
  readonly kmsgProblem: string | null;
}

export function takeHealthSnapshot(
  readTaintNow: () => TaintReading = readTaint,
  readLog: () => KmsgReading = readKmsg,
): HealthSnapshot {
  const log = readLog();
  return {
    taint: readTaintNow(),
    lastSeq: log.ok ? (log.records.at(-1)?.seq ?? -1) : null,
    kmsgProblem: log.ok ? null : log.reason,
  };
}

export function judgeTaint(before: TaintReading, after: TaintReading, durationMs: number): CaseResult {
  if (!before.ok)
    return { info: TAINT_CASE, outcome: { status: 'skip', reason: `${before.reason}: taint not checked` } };
  if (!after.ok)
    return {
      info: TAINT_CASE,
      outcome: { status: 'skip', reason: `${after.reason} after the run: taint not checked` },
    };
  const added = after.mask & ~before.mask;
  if (added === 0n) return { info: TAINT_CASE, outcome: { status: 'pass', durationMs } };
  const actual = `new taint ${describeTaint(added)} (${before.mask} → ${after.mask})`;
  return {
    info: TAINT_CASE,
    outcome: {
      status: 'fail',
      durationMs,
      message: `${TAINT_CASE.claim} — expected no new flag; got ${actual}`,
      expected: `taint ${before.mask} unchanged`,
      actual,
    },
  };
}

/** The log is machine-wide: a line names the run only by when it came, so other processes' splats count too. */
export function judgeLog(before: HealthSnapshot, after: KmsgReading, durationMs: number): CaseResult {
  if (before.lastSeq === null)
    return {
      info: SPLAT_CASE,
      outcome: { status: 'skip', reason: `${before.kmsgProblem ?? 'no log position'}: the kernel log was not checked` },
    };
  if (!after.ok)
    return {
      info: SPLAT_CASE,
      outcome: { status: 'skip', reason: `${after.reason} after the run: the kernel log was not checked` },
    };
  const splats = after.records.filter(
    (record) => record.seq > (before.lastSeq ?? -1) && record.facility === KERNEL_FACILITY && SPLAT.test(record.text),
  );
  if (splats.length === 0) return { info: SPLAT_CASE, outcome: { status: 'pass', durationMs } };
  const lines = splats.slice(0, SHOWN_LINES).map((record) => record.text);
  const more = splats.length > SHOWN_LINES ? `\n… and ${splats.length - SHOWN_LINES} more` : '';
  const actual = `${splats.length} kernel log line${splats.length === 1 ? '' : 's'}:\n${lines.join('\n')}${more}`;
  return {
    info: SPLAT_CASE,
    outcome: {
      status: 'fail',
      durationMs,
      message: `${SPLAT_CASE.claim} — got ${splats.length}, first: ${lines[0] ?? ''}`,
      expected: 'no such line',
      actual,
    },
  };
}

export function judgeHealth(
  before: HealthSnapshot,
  durationMs: number,
  readTaintNow: () => TaintReading = readTaint,
  readLog: () => KmsgReading = readKmsg,
): CaseResult[] {
  return [judgeTaint(before.taint, readTaintNow(), durationMs), judgeLog(before, readLog(), durationMs)];
}
