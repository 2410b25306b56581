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

/** 0 when nothing failed or errored and the host is unchanged, else 1. */
export function exitCodeOf(summary: Summary): number {
  return summary.totals.fail + summary.totals.error > 0 || summary.hostChanges.length > 0 ? 1 : 0;
}
