// nsconform compare <report>…: one table of the cases whose outcome differs across kernels; Markdown on stdout, HTML with --html.
import { writeFileSync } from 'node:fs';
import { buildKernelTable } from '../diff/kernel-table.ts';
import { formatHtml, formatMarkdown } from '../diff/kernel-table-format.ts';
import { readReport } from '../diff/report-file.ts';
import { EnvironmentError } from '../errors.ts';

export function compareReports(paths: readonly string[], htmlPath: string | null): number {
  const table = buildKernelTable(paths.map(readReport));
  process.stdout.write(formatMarkdown(table));
  if (htmlPath) {
    try {
      writeFileSync(htmlPath, formatHtml(table));
    } catch (error) {
      throw new EnvironmentError(
        `cannot write ${htmlPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  }
  return 0;
}
