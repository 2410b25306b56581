// A finished run as file reporters need it: the environment, every result in declaration order, the summary.
import type { CaseResult } from '../case.ts';
import type { Environment } from '../env/environment.ts';
import type { RunEvents } from '../run/events.ts';
import type { Summary } from '../run/summary.ts';

export class CollectedRun {
  env: Environment | null = null;
  summary: Summary | null = null;
  /** When the cases started: JUnit suites carry it as their timestamp. */
  startedAt = new Date();
  #order = new Map<string, number>();
  readonly #results: CaseResult[] = [];

  constructor(events: RunEvents) {
    events.on('start', ({ env, cases }) => {
      this.env = env;
      this.startedAt = new Date();
      this.#order = new Map(cases.map((info, index) => [info.id, index]));
    });
    events.on('case', (result) => this.#results.push(result));
    events.on('end', (summary) => (this.summary = summary));
  }

  /** Cases arrive in completion order; reports list them in declaration order so two runs diff cleanly. */
  get results(): CaseResult[] {
    const order = (result: CaseResult): number => this.#order.get(result.info.id) ?? Number.MAX_SAFE_INTEGER;
    return [...this.#results].sort((a, b) => order(a) - order(b));
  }

  /** Results by suite, suites in the order their first case was declared. */
  get bySuite(): Map<string, CaseResult[]> {
    const suites = new Map<string, CaseResult[]>();
    for (const result of this.results) {
      const list = suites.get(result.info.suite) ?? [];
      list.push(result);
      suites.set(result.info.suite, list);
    }
    return suites;
  }
}
