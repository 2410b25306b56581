// Writing a finished report: a file that cannot be written is one clear line, never a stack trace.
import { writeFileSync } from 'node:fs';

export class ReportWriteError extends Error {}

export function writeReportFile(label: string, path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new ReportWriteError(`cannot write the ${label} report ${path}: ${code ?? message}`);
  }
}
