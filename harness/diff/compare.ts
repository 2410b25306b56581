// Comparing two runs: regressions first, then new failures, fixes, skip-reason changes and the rest.
import type { OutcomeStatus } from '../case.ts';
import type { ReportedCase, ReportedRun } from './report-file.ts';

export type ChangeKind =
  'regression' | 'new failure' | 'fixed' | 'skip reason changed' | 'now skipped' | 'now runs' | 'added' | 'removed';

/** Report order: what needs a human first. */
export const CHANGE_ORDER: readonly ChangeKind[] = [
  'regression',
  'new failure',
  'fixed',
  'skip reason changed',
  'now skipped',
  'now runs',
  'added',
  'removed',
];

export interface Change {
  readonly kind: ChangeKind;
  readonly key: string;
  readonly before: ReportedCase | null;
  readonly after: ReportedCase | null;
}

const isBroken = (status: OutcomeStatus): boolean => status === 'fail' || status === 'error';

function classify(before: ReportedCase | undefined, after: ReportedCase | undefined): ChangeKind | null {
  if (!before && after) return isBroken(after.status) ? 'new failure' : 'added';
  if (before && !after) return 'removed';
  if (!before || !after) return null;
  if (before.status === after.status) {
    return before.status === 'skip' && before.detail !== after.detail ? 'skip reason changed' : null;
  }
  if (before.status === 'pass' && isBroken(after.status)) return 'regression';
  if (isBroken(after.status)) return 'new failure';
  if (isBroken(before.status) && after.status === 'pass') return 'fixed';
  return after.status === 'skip' ? 'now skipped' : 'now runs';
}

export function compareRuns(before: ReportedRun, after: ReportedRun): Change[] {
  const keys = [...new Set([...before.cases.keys(), ...after.cases.keys()])];
  const changes: Change[] = [];
  for (const key of keys) {
    const old = before.cases.get(key);
    const now = after.cases.get(key);
    const kind = classify(old, now);
    if (kind) changes.push({ kind, key, before: old ?? null, after: now ?? null });
  }
  return changes.sort(
    (a, b) => CHANGE_ORDER.indexOf(a.kind) - CHANGE_ORDER.indexOf(b.kind) || a.key.localeCompare(b.key),
  );
}
