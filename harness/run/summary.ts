// Counting outcomes by suite, and the exit code they imply.
import { OUTCOME_STATUSES, type CaseResult, type OutcomeStatus } from '../case.ts';

export interface Summary {
  readonly bySuite: Record<string, Record<OutcomeStatus, number>>;
  readonly totals: Record<OutcomeStatus, number>;
  readonly durationMs: number;
  /** Differences in the host snapshot; any entry fails the run. */
  readonly hostChanges: readonly string[];
}

function emptyCounts(): Record<OutcomeStatus, number> {
  return Object.fromEntries(OUTCOME_STATUSES.map((status) => [status, 0])) as Record<OutcomeStatus, number>;
}

export function summarize(results: readonly CaseResult[], durationMs: number, hostChanges: readonly string[]): Summary {
  const bySuite: Record<string, Record<OutcomeStatus, number>> = {};
  const totals = emptyCounts();
  for (const { info, outcome } of results) {
    const counts = (bySuite[info.suite] ??= emptyCounts());
    counts[outcome.status] += 1;
    totals[outcome.status] += 1;
  }
  return { bySuite, totals, durationMs, hostChanges };
}

/** Exit codes a CI loop can branch on; usage and environment problems (2) never reach a summary. */
export const EXIT = { ok: 0, kernelFailures: 1, usage: 2, harness: 3 } as const;

/** 3 when the harness broke or the host changed (the results cannot be trusted), else 1 for kernel failures, else 0. */
export function exitCodeOf(summary: Summary): number {
  if (summary.totals.error > 0 || summary.hostChanges.length > 0) return EXIT.harness;
  return summary.totals.fail > 0 ? EXIT.kernelFailures : EXIT.ok;
}
