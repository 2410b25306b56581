// On GitHub Actions ($GITHUB_STEP_SUMMARY set): the totals and the failure groups as Markdown on the run's page.
import { appendFileSync } from 'node:fs';
import type { CollectedRun } from './collected-run.ts';
import { FileReporter } from './file-reporter.ts';
import { groupFailures, listSome } from './failure-groups.ts';
import { ReportWriteError } from './report-file.ts';

const SHOWN_GROUPS = 30;

/** Table cells hold one line and no pipe. */
function cell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .slice(0, 500);
}

export function renderStepSummary(run: CollectedRun | null): string {
  const results = run?.results ?? [];
  const totals = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const { outcome } of results) totals[outcome.status] += 1;
  const kernel = run?.env?.host.kernelRelease ?? 'unknown kernel';
  const lines = [
    `### nsconform on Linux ${cell(kernel)} as uid ${run?.env?.host.euid ?? '?'}`,
    '',
    `${totals.pass} passed, ${totals.fail} failed, ${totals.skip} skipped, ${totals.error} errors`,
    '',
  ];
  const groups = groupFailures(results);
  if (groups.length) {
    lines.push(
      `${groups.reduce((sum, group) => sum + group.count, 0)} failed or errored, from ${groups.length} causes:`,
      '',
      '| cases | outcome | suite | first message | flag sets |',
      '| ---: | --- | --- | --- | --- |',
    );
    for (const group of groups.slice(0, SHOWN_GROUPS)) {
      lines.push(
        `| ${group.count} | ${group.status} | ${cell(group.suite)} | ${cell(group.example)} | ${cell(listSome(group.flagSets, 6) || group.exampleId)} |`,
      );
    }
    if (groups.length > SHOWN_GROUPS)
      lines.push('', `… and ${groups.length - SHOWN_GROUPS} more causes: see the HTML report artifact.`);
  }
  return `${lines.join('\n')}\n\n`;
}

/** Appends, since every step of a job shares the file. */
export class StepSummaryReporter extends FileReporter {
  protected readonly label = 'GitHub step summary';

  protected render(run: CollectedRun | null): string {
    return renderStepSummary(run);
  }

  override async finish(): Promise<void> {
    try {
      appendFileSync(this.file, this.build());
    } catch (error) {
      throw new ReportWriteError(
        `cannot write the ${this.label} ${this.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    return Promise.resolve();
  }
}
