// One table across kernels: a row per case (claim × mode × path) whose outcome differs between any two reports, a column per report.
import type { ReportedCase, ReportedRun } from './report-file.ts';

export interface TableRow {
  readonly key: string;
  /** One cell per run, in the order given; null where that report lacks the case. */
  readonly cells: ReadonlyArray<ReportedCase | null>;
}

export interface KernelTable {
  readonly columns: readonly string[];
  readonly rows: readonly TableRow[];
  /** Cases with the same status and reason in every report, folded into one count. */
  readonly identical: number;
}

const sameOutcome = (a: ReportedCase | null, b: ReportedCase | null): boolean =>
  a === b || (a !== null && b !== null && a.status === b.status && (a.status === 'pass' ? a.variant === b.variant : a.detail === b.detail));

export function buildKernelTable(runs: readonly ReportedRun[]): KernelTable {
  const keys = [...new Set(runs.flatMap((run) => [...run.cases.keys()]))];
  const rows: TableRow[] = [];
  let identical = 0;
  for (const key of keys) {
    const cells = runs.map((run) => run.cases.get(key) ?? null);
    if (cells.every((cell) => sameOutcome(cell, cells[0] ?? null))) identical += 1;
    else rows.push({ key, cells });
  }
  // A kernel's release names its column; the same kernel twice is told apart by its file.
  const columns = runs.map((run) => (runs.filter((other) => other.kernel === run.kernel).length > 1 ? `${run.kernel} (${run.path})` : run.kernel));
  return { columns, rows, identical };
}
