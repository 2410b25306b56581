// The terminal reporter: progress (redrawn on a TTY, a line every few seconds in a CI log), then the summary with failures grouped by cause.
import type { CaseResult } from '../case.ts';
import { OUTCOME_STATUSES } from '../case.ts';
import type { Reporter, RunEvents } from '../run/events.ts';
import type { Summary } from '../run/summary.ts';
import { groupFailures, listSome, type FailureGroup } from './failure-groups.ts';

const SHOWN_GROUPS = 25;
const SHOWN_FLAG_SETS = 8;
const TTY_PROGRESS_MS = 100;
const LOG_PROGRESS_MS = 5000;

export interface TerminalOutput {
  write(text: string): void;
  readonly isTTY: boolean;
}

function formatSummaryTable(summary: Summary): string[] {
  const header = ['suite', ...OUTCOME_STATUSES];
  const rows = Object.entries(summary.bySuite).map(([suite, counts]) => [
    suite,
    ...OUTCOME_STATUSES.map((status) => String(counts[status])),
  ]);
  rows.push(['total', ...OUTCOME_STATUSES.map((status) => String(summary.totals[status]))]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => (row[column] ?? '').length)));
  return [header, ...rows].map((row) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  '),
  );
}

export function formatGroup(group: FailureGroup): string[] {
  const where = group.flagSets.length
    ? `flag sets (${group.flagSets.length}): ${listSome(group.flagSets, SHOWN_FLAG_SETS)}`
    : group.exampleId;
  const variants = group.variants.length ? `; ${group.variants.join(' / ')}` : '';
  return [`${group.status.toUpperCase()} ×${group.count}  ${group.suite}: ${group.example}`, `  ${where}${variants}`];
}

export class TerminalReporter implements Reporter {
  readonly #out: TerminalOutput;
  readonly #now: () => number;
  #total = 0;
  #done = 0;
  #started = 0;
  #lastProgress = 0;
  readonly #problems: CaseResult[] = [];
  readonly #flaky: CaseResult[] = [];
  readonly #skipReasons = new Map<string, number>();

  /** now is injectable so the tests can step the clock. */
  constructor(out: TerminalOutput, now: () => number = () => performance.now()) {
    this.#out = out;
    this.#now = now;
  }

  attach(events: RunEvents): void {
    events.on('start', ({ env, cases }) => {
      this.#total = cases.length;
      this.#started = this.#now();
      this.#lastProgress = this.#started;
      this.#out.write(`nsconform: ${cases.length} cases on Linux ${env.host.kernelRelease} as uid ${env.host.euid}\n`);
    });
    events.on('case', (result) => this.#onCase(result));
    events.on('end', (summary) => this.#onEnd(summary));
  }

  #progress(): string {
    return `${this.#done}/${this.#total} cases, ${this.#problems.length} failed or errored`;
  }

  #onCase(result: CaseResult): void {
    this.#done += 1;
    const { outcome } = result;
    if (outcome.status === 'fail' || outcome.status === 'error') this.#problems.push(result);
    if (result.flaky) this.#flaky.push(result);
    if (outcome.status === 'skip')
      this.#skipReasons.set(outcome.reason, (this.#skipReasons.get(outcome.reason) ?? 0) + 1);
    const now = this.#now();
    if (this.#out.isTTY) {
      if (now - this.#lastProgress > TTY_PROGRESS_MS || this.#done === this.#total) {
        this.#lastProgress = now;
        this.#out.write(`\r\x1b[K${this.#progress()}`);
      }
    } else if (now - this.#lastProgress >= LOG_PROGRESS_MS && this.#done < this.#total) {
      // A CI log gets a plain line now and then, so a long run is visibly alive.
      this.#lastProgress = now;
      this.#out.write(`progress: ${this.#progress()} after ${((now - this.#started) / 1000).toFixed(0)} s\n`);
    }
  }

  #onEnd(summary: Summary): void {
    const lines: string[] = [];
    if (this.#out.isTTY) lines.push('\r\x1b[K');
    const groups = groupFailures(this.#problems);
    if (groups.length)
      lines.push(
        `${this.#problems.length} failed or errored, from ${groups.length} cause${groups.length === 1 ? '' : 's'}:`,
      );
    for (const group of groups.slice(0, SHOWN_GROUPS)) lines.push(...formatGroup(group));
    if (groups.length > SHOWN_GROUPS) {
      const rest = groups.slice(SHOWN_GROUPS);
      lines.push(
        `… and ${rest.length} more causes (${rest.reduce((sum, group) => sum + group.count, 0)} cases; see the reports)`,
      );
    }
    for (const { info, attempts } of this.#flaky) lines.push(`FLAKY ${info.id}: ${attempts?.join(' ') ?? ''}`);
    for (const [reason, count] of [...this.#skipReasons].sort((a, b) => b[1] - a[1]))
      lines.push(`skipped ${count}: ${reason}`);
    lines.push(...formatSummaryTable(summary));
    const { pass, fail, skip, error } = summary.totals;
    const flaky = this.#flaky.length ? `, ${this.#flaky.length} flaky` : '';
    lines.push(
      `${pass} passed, ${fail} failed, ${skip} skipped, ${error} errors${flaky} in ${(summary.durationMs / 1000).toFixed(1)} s`,
    );
    this.#out.write(`${lines.join('\n')}\n`);
  }
}
