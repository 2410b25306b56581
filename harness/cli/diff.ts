// nsconform diff <old> <new>: what changed between two reports; exit 1 on regressions.
import { CHANGE_ORDER, compareRuns, type Change } from '../diff/compare.ts';
import { readReport } from '../diff/report-file.ts';
import type { ReportedCase } from '../diff/report-file.ts';

const SHOWN_PER_KIND = 50;

function describe(outcome: ReportedCase | null): string {
  if (!outcome) return 'absent';
  return outcome.detail ? `${outcome.status} (${outcome.detail})` : outcome.status;
}

function formatChange(change: Change): string {
  return `  ${change.key}\n    ${describe(change.before)} → ${describe(change.after)}`;
}

export function diffReports(oldPath: string, newPath: string): number {
  const before = readReport(oldPath);
  const after = readReport(newPath);
  const changes = compareRuns(before, after);
  const lines = [
    `nsconform diff: ${before.path} (${before.kernel}, ${before.cases.size} cases) → ${after.path} (${after.kernel}, ${after.cases.size} cases)`,
  ];
  for (const kind of CHANGE_ORDER) {
    const ofKind = changes.filter((change) => change.kind === kind);
    if (ofKind.length === 0) continue;
    lines.push(`${kind}: ${ofKind.length}`);
    lines.push(...ofKind.slice(0, SHOWN_PER_KIND).map(formatChange));
    if (ofKind.length > SHOWN_PER_KIND) lines.push(`  … and ${ofKind.length - SHOWN_PER_KIND} more`);
  }
  const counts = CHANGE_ORDER.map((kind) => `${changes.filter((change) => change.kind === kind).length} ${kind}`).join(
    ', ',
  );
  lines.push(changes.length ? `summary: ${counts}` : 'no changes');
  process.stdout.write(`${lines.join('\n')}\n`);
  return changes.some((change) => change.kind === 'regression') ? 1 : 0;
}
