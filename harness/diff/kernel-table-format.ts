// The kernel table as Markdown (for a CI job summary, reasons as numbered footnotes) and as one self-contained HTML page (reasons on hover).
import type { ReportedCase } from './report-file.ts';
import type { KernelTable, TableRow } from './kernel-table.ts';

/** The skips behind one verdict, one line per kernel and reason: consequences of a row above, not rows of their own. */
function behindLines(table: KernelTable, escape: (text: string) => string): { total: number; lines: string[] } {
  const total = table.behindVerdicts.reduce((sum, group) => sum + group.count, 0);
  const lines = table.behindVerdicts.map(
    (group) => `${escape(table.columns[group.column] ?? '')}: ${group.count} × skip: ${escape(group.reason)}`,
  );
  return { total, lines };
}

/** Cases behind the rows: a folded row counts each of its flag sets. */
const differing = (table: KernelTable): number =>
  table.rows.reduce((sum, row) => sum + Math.max(1, row.flagSets.length), 0);

/** The sets of a folded row, the first few named. */
function setsNote(row: TableRow): string {
  if (row.flagSets.length < 2) return '';
  const shown = row.flagSets.slice(0, 4).join(', ');
  return ` (${escapeMarkdown(shown)}${row.flagSets.length > 4 ? ', …' : ''})`;
}

const BEHIND_TITLE = (total: number): string =>
  `${total} more cases differ only by skipping behind one verdict (a flag set its path cannot create; the deciding case is a row above):`;

const escapeMarkdown = (text: string): string => text.replace(/[|\\`*_<>]/g, (char) => `\\${char}`).replace(/\n/g, ' ');
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export function formatMarkdown(table: KernelTable): string {
  // One footnote per distinct reason: a skip shared by every kernel is one note, not one per cell.
  const notes = new Map<string, number>();
  const cell = (outcome: ReportedCase | null): string => {
    if (!outcome) return '—';
    if (outcome.variant) return `pass: ${escapeMarkdown(outcome.variant)}`;
    if (!outcome.detail || outcome.status === 'pass') return outcome.status;
    if (!notes.has(outcome.detail)) notes.set(outcome.detail, notes.size + 1);
    return `${outcome.status} [${notes.get(outcome.detail)}]`;
  };
  const lines = [
    `| case | ${table.columns.map(escapeMarkdown).join(' | ')} |`,
    `|---|${table.columns.map(() => '---').join('|')}|`,
    ...table.rows.map((row) => `| ${escapeMarkdown(row.key)}${setsNote(row)} | ${row.cells.map(cell).join(' | ')} |`),
    '',
    `${differing(table)} cases differ${table.rows.length < differing(table) ? ` (${table.rows.length} rows: a row holds the flag sets that differ alike)` : ''}; ${table.identical} cases have the same outcome on every kernel.`,
  ];
  const behind = behindLines(table, escapeMarkdown);
  if (behind.total > 0) lines.push('', BEHIND_TITLE(behind.total), ...behind.lines.map((line) => `- ${line}`));
  if (notes.size) lines.push('', ...[...notes].map(([note, number]) => `[${number}] ${escapeMarkdown(note)}`));
  return `${lines.join('\n')}\n`;
}

function behindHtml(table: KernelTable): string {
  const behind = behindLines(table, escapeHtml);
  return behind.total > 0
    ? `<p>${BEHIND_TITLE(behind.total)}</p>\n<ul>${behind.lines.map((line) => `<li>${line}</li>`).join('')}</ul>\n`
    : '';
}

export function formatHtml(table: KernelTable): string {
  const cell = (outcome: ReportedCase | null): string =>
    outcome
      ? `<td class="${outcome.status}"${outcome.detail ? ` title="${escapeHtml(outcome.detail)}"` : ''}>${outcome.status}${outcome.variant ? `: ${escapeHtml(outcome.variant)}` : ''}</td>`
      : '<td class="absent">—</td>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>nsconform: outcomes across kernels</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 1.5em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
td.pass { background: #e6f4e6; } td.fail, td.error { background: #f8d7d7; } td.skip { background: #fff3cd; } td.absent { color: #888; }
td[title] { cursor: help; text-decoration: underline dotted; }
</style></head><body>
<h1>Outcomes across kernels</h1>
<p>${differing(table)} cases differ (${table.rows.length} rows); ${table.identical} cases have the same outcome on every kernel. Hover a cell for the reason, a case for the flag sets a row holds.</p>
<table><thead><tr><th>case</th>${table.columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('')}</tr></thead>
<tbody>
${table.rows.map((row) => `<tr><td${row.flagSets.length > 1 ? ` title="${escapeHtml(row.flagSets.join(' '))}"` : ''}>${escapeHtml(row.key)}</td>${row.cells.map(cell).join('')}</tr>`).join('\n')}
</tbody></table>
${behindHtml(table)}</body></html>
`;
}
