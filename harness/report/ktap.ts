// The KTAP reporter (Documentation/dev-tools/ktap.rst): one subtest block per suite, the form kernel CI parses.
import type { CaseResult } from '../case.ts';
import type { CollectedRun } from './collected-run.ts';
import { FileReporter } from './file-reporter.ts';
import { junitCaseName } from './junit.ts';

const INDENT = '  ';

/** A description may not hold "#", and no field may hold a line break. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' | ').trim();
}

function description(text: string): string {
  return oneLine(text).replace(/#/g, 'no.');
}

/** Diagnostic lines go right before the result line they explain. */
function caseLines(number: number, { info, outcome }: CaseResult): string[] {
  const name = description(junitCaseName(info));
  switch (outcome.status) {
    case 'pass':
      return [`ok ${number} ${name}`];
    case 'skip':
      return [`ok ${number} ${name} # SKIP ${oneLine(outcome.reason)}`];
    case 'fail':
      return [
        `# ${oneLine(outcome.message)}`,
        `# expected: ${oneLine(outcome.expected)}`,
        `# actual: ${oneLine(outcome.actual)}`,
        `# spec: ${info.specIds.join(', ') || '—'} (${info.manPage})`,
        `not ok ${number} ${name}`,
      ];
    case 'error':
      return [`not ok ${number} ${name} # ERROR ${oneLine(outcome.message)}`];
  }
}

export function renderKtap(suites: ReadonlyMap<string, readonly CaseResult[]>): string {
  const lines = ['KTAP version 1', `1..${suites.size}`];
  let suiteNumber = 0;
  for (const [suite, results] of suites) {
    suiteNumber += 1;
    const body = [
      `KTAP version 1`,
      `# Subtest: ${description(suite)}`,
      `1..${results.length}`,
      ...results.flatMap((result, index) => caseLines(index + 1, result)),
    ];
    lines.push(...body.map((line) => INDENT + line));
    const broken = results.some(({ outcome }) => outcome.status === 'fail' || outcome.status === 'error');
    const allSkipped = results.every(({ outcome }) => outcome.status === 'skip');
    lines.push(
      `${broken ? 'not ok' : 'ok'} ${suiteNumber} ${description(suite)}${allSkipped && !broken ? ' # SKIP every case was skipped' : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export class KtapReporter extends FileReporter {
  protected readonly label = 'KTAP';

  protected render(run: CollectedRun | null): string {
    return renderKtap(run?.bySuite ?? new Map());
  }
}
