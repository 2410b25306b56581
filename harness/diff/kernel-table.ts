// One table across kernels: a row per case (claim × mode × path) whose outcome differs between any two reports, a column per report.
import { JUDGED_ONCE } from '../script/variants.ts';
import type { ReportedCase, ReportedRun } from './report-file.ts';

export interface TableRow {
  /** The case id; for a folded row, the id with the flag set replaced by how many sets share the row. */
  readonly key: string;
  /** The flag sets whose cases show the same outcomes on every kernel, folded into this row (one for a single case). */
  readonly flagSets: readonly string[];
  /** One cell per run, in the order given; null where that report lacks the case. */
  readonly cells: ReadonlyArray<ReportedCase | null>;
}

/** Skips that follow from a deciding case shown in the table (a flag set its path cannot create), counted per kernel and reason. */
export interface BehindVerdict {
  readonly column: number;
  readonly reason: string;
  readonly count: number;
}

export interface KernelTable {
  readonly columns: readonly string[];
  readonly rows: readonly TableRow[];
  /** Cases with the same status and reason in every report, folded into one count. */
  readonly identical: number;
  /** Cases that differ only by skipping behind one verdict: consequences, not findings, so not rows. */
  readonly behindVerdicts: readonly BehindVerdict[];
}

const sameOutcome = (a: ReportedCase | null, b: ReportedCase | null): boolean =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.status === b.status &&
    (a.status === 'pass' ? a.variant === b.variant : a.detail === b.detail));

const isBehindVerdict = (cell: ReportedCase | null): boolean =>
  cell?.status === 'skip' && cell.detail.includes(JUDGED_ONCE);

/** A row whose only difference is that some kernels skip it behind a deciding case; the others agree among themselves. */
function onlyBehindVerdict(cells: ReadonlyArray<ReportedCase | null>): boolean {
  if (!cells.some(isBehindVerdict)) return false;
  const rest = cells.filter((cell) => !isBehindVerdict(cell));
  return rest.every((cell) => sameOutcome(cell, rest[0] ?? null));
}

/** "suite › flag set › claim [path, mode]": a flag set is "none" or kind names joined by "+". */
const CASE_ID = /^([^›]+) › (none|[a-z]+(?:\+[a-z]+)*) › (.+)$/;

const signature = (cells: ReadonlyArray<ReportedCase | null>): string =>
  JSON.stringify(cells.map((cell) => (cell ? [cell.status, cell.variant ?? '', cell.detail] : null)));

/**
 * Rows of one claim, path and mode whose cells are the same on every kernel differ only by flag set: one
 * change seen across many sets (legacy clone() and CLONE_NEWTIME on 7.2: 128 sets) is one finding, one row.
 */
function foldFlagSets(rows: readonly TableRow[]): TableRow[] {
  const folded = new Map<string, { key: string; flagSets: string[]; cells: TableRow['cells'] }>();
  for (const row of rows) {
    const parts = CASE_ID.exec(row.key);
    const group = parts ? `${parts[1]}\n${parts[3]}\n${signature(row.cells)}` : `\n${row.key}`;
    const entry = folded.get(group) ?? { key: row.key, flagSets: [], cells: row.cells };
    if (parts?.[2]) entry.flagSets.push(parts[2]);
    folded.set(group, entry);
  }
  return [...folded.values()].map((entry) => {
    const parts = CASE_ID.exec(entry.key);
    if (!parts || entry.flagSets.length < 2) return { key: entry.key, flagSets: entry.flagSets, cells: entry.cells };
    return {
      key: `${parts[1]} › ${entry.flagSets.length} flag sets › ${parts[3]}`,
      flagSets: entry.flagSets,
      cells: entry.cells,
    };
  });
}

export function buildKernelTable(runs: readonly ReportedRun[]): KernelTable {
  const keys = [...new Set(runs.flatMap((run) => [...run.cases.keys()]))];
  const rows: TableRow[] = [];
  const behind = new Map<string, BehindVerdict>();
  let identical = 0;
  for (const key of keys) {
    const cells = runs.map((run) => run.cases.get(key) ?? null);
    if (cells.every((cell) => sameOutcome(cell, cells[0] ?? null))) identical += 1;
    else if (onlyBehindVerdict(cells)) {
      cells.forEach((cell, column) => {
        if (!cell || !isBehindVerdict(cell)) return;
        const id = `${column}\n${cell.detail}`;
        behind.set(id, { column, reason: cell.detail, count: (behind.get(id)?.count ?? 0) + 1 });
      });
    } else rows.push({ key, flagSets: [], cells });
  }
  // A kernel's release names its column; the same kernel twice is told apart by its file.
  const columns = runs.map((run) =>
    runs.filter((other) => other.kernel === run.kernel).length > 1 ? `${run.kernel} (${run.path})` : run.kernel,
  );
  return { columns, rows: foldFlagSets(rows), identical, behindVerdicts: [...behind.values()] };
}
