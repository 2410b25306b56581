// The JSON reporter: the environment, the summary and every case with its outcome, for scripts and diffs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CaseResult } from '../case.ts';
import { describeEnvironment, type Environment } from '../env/environment.ts';
import type { Reporter, RunEvents } from '../run/events.ts';
import type { Summary } from '../run/summary.ts';

export const JSON_REPORT_FORMAT = 'nsconform-results/1';

export class JsonReporter implements Reporter {
  readonly #path: string;
  readonly #runProperties: Record<string, string>;
  #env: Environment | null = null;
  #order = new Map<string, number>();
  #results: CaseResult[] = [];
  #summary: Summary | null = null;

  constructor(path: string, runProperties: Record<string, string>) {
    this.#path = path;
    this.#runProperties = runProperties;
  }

  attach(events: RunEvents): void {
    events.on('start', ({ env, cases }) => {
      this.#env = env;
      this.#order = new Map(cases.map((info, index) => [info.id, index]));
    });
    events.on('case', (result) => this.#results.push(result));
    events.on('end', (summary) => (this.#summary = summary));
  }

  async finish(): Promise<void> {
    const order = (result: CaseResult): number => this.#order.get(result.info.id) ?? Number.MAX_SAFE_INTEGER;
    const cases = [...this.#results]
      .sort((a, b) => order(a) - order(b))
      .map(({ info, outcome }) => ({
        id: info.id,
        suite: info.suite,
        classname: info.classname,
        name: info.name,
        claim: info.claim,
        specIds: info.specIds,
        manPage: info.manPage,
        properties: info.properties,
        ...outcome,
      }));
    const document = {
      format: JSON_REPORT_FORMAT,
      run: this.#runProperties,
      environment: Object.fromEntries(this.#env ? describeEnvironment(this.#env) : []),
      summary: this.#summary,
      cases,
    };
    mkdirSync(dirname(this.#path), { recursive: true });
    writeFileSync(this.#path, `${JSON.stringify(document, null, 1)}\n`);
    return Promise.resolve();
  }
}
