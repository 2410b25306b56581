// The JSON reporter: the environment, the summary and every case with its outcome, for scripts and diffs.
import { describeEnvironment } from '../env/environment.ts';
import type { CollectedRun } from './collected-run.ts';
import { FileReporter } from './file-reporter.ts';

export const JSON_REPORT_FORMAT = 'nsconform-results/1';

export class JsonReporter extends FileReporter {
  protected readonly label = 'JSON';
  readonly #runProperties: Record<string, string>;

  constructor(path: string, runProperties: Record<string, string>) {
    super(path);
    this.#runProperties = runProperties;
  }

  protected render(run: CollectedRun | null): string {
    const env = run?.env;
    const cases = (run?.results ?? []).map(({ info, outcome, attempts, flaky }) => ({
      id: info.id,
      suite: info.suite,
      classname: info.classname,
      name: info.name,
      claim: info.claim,
      specIds: info.specIds,
      manPage: info.manPage,
      properties: info.properties,
      ...outcome,
      ...(attempts ? { attempts, flaky } : {}),
    }));
    const document = {
      format: JSON_REPORT_FORMAT,
      run: this.#runProperties,
      // When the cases started: KCIDB's start_time, and what tells two runs' test ids apart.
      ...(run ? { started: run.startedAt.toISOString() } : {}),
      environment: Object.fromEntries(env ? describeEnvironment(env) : []),
      summary: run?.summary ?? null,
      cases,
    };
    return `${JSON.stringify(document, null, 1)}\n`;
  }
}
