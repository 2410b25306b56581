// The HTML reporter: one self-contained page for people, written with the other reports.
import { describeEnvironment } from '../../env/environment.ts';
import type { CollectedRun } from '../collected-run.ts';
import { FileReporter } from '../file-reporter.ts';
import type { FamilyOf } from './matrix-grid.ts';
import { renderHtml } from './render.ts';

export class HtmlReporter extends FileReporter {
  protected readonly label = 'HTML';
  readonly #runProperties: Record<string, string>;
  readonly #familyOf: FamilyOf;

  constructor(path: string, runProperties: Record<string, string>, familyOf: FamilyOf) {
    super(path);
    this.#runProperties = runProperties;
    this.#familyOf = familyOf;
  }

  protected render(run: CollectedRun | null): string {
    return renderHtml({
      environment: run?.env ? describeEnvironment(run.env) : [],
      run: this.#runProperties,
      results: run?.results ?? [],
      durationMs: run?.summary?.durationMs ?? 0,
      startedAt: run?.startedAt ?? new Date(),
      familyOf: this.#familyOf,
    });
  }
}
