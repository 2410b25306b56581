// The terminal reporter: a progress line on a TTY, then the summary by suite and outcome, failures first.
import type { CaseResult } from '../case.ts';
import { OUTCOME_STATUSES } from '../case.ts';
import type { Reporter, RunEvents } from '../run/events.ts';
import type { Summary } from '../run/summary.ts';

const SHOWN_PROBLEMS = 20;
const PROGRESS_INTERVAL_MS = 100;

export interface TerminalOutput {
  write(text: string): void;
  readonly isTTY: boolean;
}

function formatSummaryTable(summary: Summary): string[] {
  const header = ['suite', ...OUTCOME_STATUSES];
  const rows = Object.entries(summary.bySuite).map(([suite, counts]) => [suite, ...OUTCOME_STATUSES.map((status) => String(counts[status]))]);
  rows.push(['total', ...OUTCOME_STATUSES.map((status) => String(summary.totals[status]))]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => (row[column] ?? '').length)));
  return [header, ...rows].map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  '));
}

export class TerminalReporter implements Reporter {
  readonly #out: TerminalOutput;
  #total = 0;
  #done = 0;
  #lastProgress = 0;
  readonly #problems: CaseResult[] = [];
  readonly #skipReasons = new Map<string, number>();

  constructor(out: TerminalOutput) {
    this.#out = out;
  }

  attach(events: RunEvents): void {
    events.on('start', ({ env, cases }) => {
      this.#total = cases.length;
      this.#out.write(`nsconform: ${cases.length} cases on Linux ${env.host.kernelRelease} as uid ${env.host.euid}\n`);
    });
    events.on('case', (result) => this.#onCase(result));
    events.on('end', (summary) => this.#onEnd(summary));
  }

  #onCase(result: CaseResult): void {
    this.#done += 1;
    const { outcome } = result;
    if (outcome.status === 'fail' || outcome.status === 'error') this.#problems.push(result);
    if (outcome.status === 'skip') this.#skipReasons.set(outcome.reason, (this.#skipReasons.get(outcome.reason) ?? 0) + 1);
    const now = performance.now();
    if (this.#out.isTTY && (now - this.#lastProgress > PROGRESS_INTERVAL_MS || this.#done === this.#total)) {
      this.#lastProgress = now;
      this.#out.write(`\r\x1b[K${this.#done}/${this.#total} cases, ${this.#problems.length} failed or errored`);
    }
  }

  #onEnd(summary: Summary): void {
    const lines: string[] = [];
    if (this.#out.isTTY) lines.push('\r\x1b[K');
    for (const { info, outcome } of this.#problems.slice(0, SHOWN_PROBLEMS)) {
      if (outcome.status === 'fail' || outcome.status === 'error') lines.push(`${outcome.status.toUpperCase()} ${info.id}\n  ${outcome.message}`);
    }
    if (this.#problems.length > SHOWN_PROBLEMS) lines.push(`… and ${this.#problems.length - SHOWN_PROBLEMS} more failures or errors (see the reports)`);
    for (const [reason, count] of [...this.#skipReasons].sort((a, b) => b[1] - a[1])) lines.push(`skipped ${count}: ${reason}`);
    lines.push(...formatSummaryTable(summary));
    const { pass, fail, skip, error } = summary.totals;
    lines.push(`${pass} passed, ${fail} failed, ${skip} skipped, ${error} errors in ${(summary.durationMs / 1000).toFixed(1)} s`);
    this.#out.write(`${lines.join('\n')}\n`);
  }
}
