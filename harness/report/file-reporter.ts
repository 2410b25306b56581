// A reporter that renders the collected run into one file when the run is over.
import { CollectedRun } from './collected-run.ts';
import { writeReportFile } from './report-file.ts';
import type { Reporter, RunEvents } from '../run/events.ts';

export abstract class FileReporter implements Reporter {
  readonly #path: string;
  #run: CollectedRun | null = null;

  constructor(path: string) {
    this.#path = path;
  }

  /** The format's name for messages ("JUnit", "KTAP"). */
  protected abstract readonly label: string;
  protected abstract render(run: CollectedRun | null): string;

  get file(): string {
    return this.#path;
  }

  attach(events: RunEvents): void {
    this.#run = new CollectedRun(events);
  }

  /** The report's text, for tests and for reporters that embed another's. */
  build(): string {
    return this.render(this.#run);
  }

  async finish(): Promise<void> {
    writeReportFile(this.label, this.#path, this.build());
    return Promise.resolve();
  }
}
