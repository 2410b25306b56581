// The HTML report page: header and environment verdicts, failures grouped by cause, suite bars, the matrix grids.
import type { CaseResult, OutcomeStatus } from '../../case.ts';
import { OUTCOME_STATUSES } from '../../case.ts';
import { groupFailures, listSome, type FailureGroup } from '../failure-groups.ts';
import { escapeHtml } from './escape.ts';
import { matrixHtml, type FamilyOf } from './matrix-grid.ts';
import { STYLE } from './style.ts';

const SHOWN_IDS = 50;

export interface HtmlInput {
  readonly environment: ReadonlyArray<readonly [string, string]>;
  readonly run: Readonly<Record<string, string>>;
  readonly results: readonly CaseResult[];
  readonly durationMs: number;
  readonly startedAt: Date;
  readonly familyOf: FamilyOf;
}

function countsBySuite(results: readonly CaseResult[]): Map<string, Record<OutcomeStatus, number>> {
  const counts = new Map<string, Record<OutcomeStatus, number>>();
  for (const { info, outcome } of results) {
    const row = counts.get(info.suite) ?? { pass: 0, fail: 0, skip: 0, error: 0 };
    row[outcome.status] += 1;
    counts.set(info.suite, row);
  }
  return counts;
}

function probeClass(value: string): string {
  if (value.startsWith('yes')) return 'probe-yes';
  return value.startsWith('no') ? 'probe-no' : 'probe-unknown';
}

function headerHtml(input: HtmlInput, totals: Record<OutcomeStatus, number>): string {
  const env = new Map(input.environment);
  const broken = totals.fail + totals.error;
  const verdict = broken ? `${totals.fail} failed, ${totals.error} errors` : 'no failure';
  const facts: Array<[string, string]> = [
    ['kernel', `${env.get('kernel.release') ?? 'unknown'} (${env.get('machine') ?? '?'})`],
    ['runner', `uid ${env.get('runner.uid') ?? '?'}, CapEff ${env.get('runner.capEff') ?? '?'}`],
    ['modes', input.run['run.modes'] ?? '?'],
    ['paths', input.run['run.paths'] ?? '?'],
    ['selection', `${input.run['run.only'] ?? '(all)'}; excluded ${input.run['run.exclude'] ?? '(none)'}`],
    ['started', `${input.startedAt.toISOString()}, ${(input.durationMs / 1000).toFixed(1)} s`],
    ['node', env.get('node') ?? '?'],
  ];
  const probes = input.environment.filter(
    ([name]) => name.startsWith('probe.') || name.startsWith('runner.userNamespace'),
  );
  const factRows = facts.map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`).join('');
  const probeRows = probes
    .map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd class="${probeClass(value)}">${escapeHtml(value)}</dd>`)
    .join('');
  return `<header><h1>nsconform: namespace conformance of Linux ${escapeHtml(env.get('kernel.release') ?? '')}</h1>
<p class="verdict ${broken ? 'bad' : 'good'}">${escapeHtml(`${totals.pass} passed, ${verdict}, ${totals.skip} skipped`)}</p>
<dl class="facts">${factRows}</dl>
<details><summary>environment verdicts (${probes.length} probes; every detail is in the JSON report)</summary><dl class="facts">${probeRows}</dl></details></header>`;
}

function failureRow(group: FailureGroup): string {
  const where = group.flagSets.length ? `${group.flagSets.length} flag sets: ${listSome(group.flagSets, 12)}` : '';
  const ids = group.ids
    .slice(0, SHOWN_IDS)
    .map((id) => `<li>${escapeHtml(id)}</li>`)
    .join('');
  const more = group.ids.length > SHOWN_IDS ? `<li>… and ${group.ids.length - SHOWN_IDS} more</li>` : '';
  return `<tr><td class="count">${group.count}×</td><td class="status-${group.status}">${group.status}</td><td>${escapeHtml(group.suite)}</td>
<td>${escapeHtml(group.example)}<details><summary>${escapeHtml([where, group.variants.join(' / ')].filter(Boolean).join('; ') || 'cases')}</summary><ul>${ids}${more}</ul></details></td></tr>`;
}

function failuresHtml(results: readonly CaseResult[]): string {
  const groups = groupFailures(results);
  if (groups.length === 0)
    return '<h2 id="failures">Failures</h2><p class="none">None: every case passed or was skipped with its reason.</p>';
  const count = groups.reduce((sum, group) => sum + group.count, 0);
  return `<h2 id="failures">Failures: ${count} cases from ${groups.length} cause${groups.length === 1 ? '' : 's'}</h2>
<table><thead><tr><th>cases</th><th>outcome</th><th>suite</th><th>first message, and where the cause struck</th></tr></thead><tbody>${groups.map(failureRow).join('')}</tbody></table>`;
}

function barsHtml(results: readonly CaseResult[]): string {
  const rows = [...countsBySuite(results)].map(([suite, counts]) => {
    const total = OUTCOME_STATUSES.reduce((sum, status) => sum + counts[status], 0);
    const segments = OUTCOME_STATUSES.filter((status) => counts[status] > 0)
      .map(
        (status) =>
          `<span class="${status}" style="width:${((counts[status] / total) * 100).toFixed(2)}%" title="${status}: ${counts[status]}"></span>`,
      )
      .join('');
    const text = OUTCOME_STATUSES.map((status) => `${counts[status]} ${status}`).join(', ');
    return `<div>${escapeHtml(suite)}</div><div class="bar">${segments}</div><div>${text}</div>`;
  });
  return `<h2 id="suites">Suites</h2><div class="bars">${rows.join('')}</div>`;
}

export function renderHtml(input: HtmlInput): string {
  const totals: Record<OutcomeStatus, number> = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const { outcome } of input.results) totals[outcome.status] += 1;
  const title = `nsconform ${input.environment.find(([name]) => name === 'kernel.release')?.[1] ?? ''}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${headerHtml(input, totals)}
<main>${failuresHtml(input.results)}${barsHtml(input.results)}${matrixHtml(input.results, input.familyOf)}</main></body></html>
`;
}
