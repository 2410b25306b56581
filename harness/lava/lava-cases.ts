// A report's cases as LAVA cases: one per matrix cell (or per claim with granularity "case") and one per other case.
import type { OutcomeStatus } from '../case.ts';
import type { JsonCase } from '../diff/report-file.ts';
import { caseName, cellName, setName } from './case-names.ts';

export type Granularity = 'cell' | 'case';
export const GRANULARITIES: readonly Granularity[] = ['cell', 'case'];

/** LAVA knows only these; an error (the harness broke) is no kernel verdict, so it is "unknown", never "fail". */
export type LavaResult = 'pass' | 'fail' | 'skip' | 'unknown';

export interface LavaCase {
  readonly set: string;
  readonly name: string;
  /** nsconform's outcome for the whole case: fail over error over pass over skip. */
  readonly status: OutcomeStatus;
  readonly result: LavaResult;
  /** What the case's log shows between STARTTC and ENDTC: failed and errored claims, or why all were skipped. */
  readonly log: readonly string[];
  readonly durationMs: number;
  /** The report's cases behind it (one, or a cell's claims). */
  readonly members: readonly JsonCase[];
}

const RESULTS: Record<OutcomeStatus, LavaResult> = { pass: 'pass', fail: 'fail', skip: 'skip', error: 'unknown' };
const PRECEDENCE: readonly OutcomeStatus[] = ['fail', 'error', 'pass', 'skip'];

function indented(text: string): string {
  return text.replace(/\n/g, '\n    ');
}

/** One claim's part of the log; a pass says nothing. */
function logOf(entry: JsonCase): string[] {
  const spec = `spec: ${(entry.specIds ?? []).join(', ') || '—'} (${entry.manPage ?? ''})`;
  switch (entry.status) {
    case 'fail':
      return [
        `FAIL ${entry.id ?? entry.name}`,
        `  ${indented(entry.message ?? '')}`,
        `  expected: ${indented(entry.expected ?? '')}`,
        `  actual: ${indented(entry.actual ?? '')}`,
        `  ${spec}`,
      ];
    case 'error':
      return [`ERROR ${entry.id ?? entry.name}`, `  ${indented(entry.message ?? '')}`];
    case 'skip':
      return [`SKIP ${entry.reason ?? ''}`];
    case 'pass':
      return [];
  }
}

function caseOf(set: string, name: string, members: readonly JsonCase[]): LavaCase {
  const status = PRECEDENCE.find((candidate) => members.some((entry) => entry.status === candidate)) ?? 'skip';
  // A cell that ran shows only what broke; one skipped whole shows each distinct reason once.
  const shown =
    status === 'skip' ? members : members.filter((entry) => entry.status === 'fail' || entry.status === 'error');
  const log = [...new Set(shown.flatMap(logOf))];
  const durationMs = members.reduce((sum, entry) => sum + (entry.durationMs ?? 0), 0);
  return { set, name, status, result: RESULTS[status], log, durationMs, members };
}

/** In report order; a cell stands where its first claim stood. */
export function lavaCases(entries: readonly JsonCase[], granularity: Granularity): LavaCase[] {
  const groups = new Map<string, { set: string; name: string; members: JsonCase[] }>();
  for (const entry of entries) {
    const set = setName(entry);
    const name = granularity === 'cell' && entry.suite === 'matrix' ? cellName(entry) : caseName(entry);
    const key = `${set}\n${name}`;
    const group = groups.get(key) ?? { set, name, members: [] };
    group.members.push(entry);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ set, name, members }) => caseOf(set, name, members));
}

/** Cases by test set, sets in the order they first appear (Map.groupBy needs Node 21). */
export function bySet(cases: readonly LavaCase[]): Map<string, LavaCase[]> {
  const sets = new Map<string, LavaCase[]>();
  for (const entry of cases) {
    const members = sets.get(entry.set) ?? [];
    members.push(entry);
    sets.set(entry.set, members);
  }
  return sets;
}
