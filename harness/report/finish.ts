// Finishing every reporter: one that cannot write says so in one line, and the others still write.
import type { Reporter } from '../run/events.ts';
import { ReportWriteError } from './report-file.ts';

export interface FinishedReports {
  readonly written: string[];
  readonly failed: number;
}

export async function finishReporters(
  reporters: readonly Reporter[],
  stderr: (line: string) => void = (line) => process.stderr.write(line),
): Promise<FinishedReports> {
  const written: string[] = [];
  let failed = 0;
  for (const reporter of reporters) {
    try {
      await reporter.finish?.();
      if (reporter.file) written.push(reporter.file);
    } catch (error) {
      if (!(error instanceof ReportWriteError)) throw error;
      stderr(`nsconform: ${error.message}\n`);
      failed += 1;
    }
  }
  return { written, failed };
}
