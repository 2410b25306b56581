// The JSON reporter: the environment, the summary and every case with its outcome, for scripts and diffs.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeEnvironment } from '../env/environment.ts';
import { CollectedRun } from './collected-run.ts';
import { writeReportFile } from './report-file.ts';
import type { Reporter, RunEvents } from '../run/events.ts';

export const JSON_REPORT_FORMAT = 'nsconform-results/1';

export class JsonReporter implements Reporter {
  readonly #path: string;
  readonly #runProperties: Record<string, string>;
  #run: CollectedRun | null = null;

  constructor(path: string, runProperties: Record<string, string>) {
    this.#path = path;
    this.#runProperties = runProperties;
  }

  attach(events: RunEvents): void {
    this.#run = new CollectedRun(events);
  }

  async finish(): Promise<void> {
    const env = this.#run?.env;
    const cases = (this.#run?.results ?? []).map(({ info, outcome }) => ({
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
      environment: Object.fromEntries(env ? describeEnvironment(env) : []),
      summary: this.#run?.summary ?? null,
      cases,
    };
    mkdirSync(dirname(this.#path), { recursive: true });
    writeReportFile(this.#path, `${JSON.stringify(document, null, 1)}\n`);
    return Promise.resolve();
  }
}
