// The JUnit reporter: one testsuite per suite, probes as properties, outcomes mapped faithfully.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeReportFile } from './report-file.ts';
import junitModule from 'junit-report-builder';
import type { Builder, TestCase, TestSuite } from 'junit-report-builder';
import type { CaseInfo, CaseResult } from '../case.ts';
import { describeEnvironment } from '../env/environment.ts';
import { CollectedRun } from './collected-run.ts';
import type { Reporter, RunEvents } from '../run/events.ts';

/** The package's types declare an ES default export, but under Node its CommonJS module.exports is the builder itself. */
const junit = junitModule as unknown as Builder;

/** junit-report-builder writes a bare <skipped/>; CI tools show the reason only from its message attribute. */
function skipWithMessage(testCase: TestCase, message: string): void {
  testCase.skipped();
  const build = testCase.build.bind(testCase);
  testCase.build = (parent) => {
    const element = build(parent);
    const skipped = element.children.find((node) => (node as { name?: string }).name === 'skipped') as { att?: (name: string, value: string) => void } | undefined;
    skipped?.att?.('message', message);
    return element;
  };
}

function describeCase(info: CaseInfo): string {
  return [
    `claim: ${info.claim}`,
    ...Object.entries(info.properties).map(([name, value]) => `${name}: ${value}`),
    `spec: ${info.specIds.join(', ') || '—'} (${info.manPage})`,
  ].join('\n');
}

function addCase(suite: TestSuite, { info, outcome }: CaseResult): void {
  const testCase = suite.testCase().className(info.classname).name(info.name);
  for (const [name, value] of Object.entries(info.properties)) testCase.property(name, value);
  if (info.specIds.length) testCase.property('spec', info.specIds.join(' '));
  if (outcome.status !== 'skip') testCase.time(outcome.durationMs / 1000);
  switch (outcome.status) {
    case 'pass':
      return;
    case 'skip':
      return skipWithMessage(testCase, outcome.reason);
    case 'fail':
      testCase.failure(outcome.message, 'ClaimViolated').stacktrace(`${describeCase(info)}\nexpected: ${outcome.expected}\nactual:   ${outcome.actual}`);
      return;
    case 'error':
      testCase.error(outcome.message, 'HarnessError', describeCase(info));
      return;
  }
}

export class JunitReporter implements Reporter {
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
    const report = junit.newBuilder();
    const env = this.#run?.env;
    const suites = new Map<string, TestSuite>();
    for (const result of this.#run?.results ?? []) {
      let suite = suites.get(result.info.suite);
      if (!suite) {
        suite = report.testSuite().name(result.info.suite);
        for (const [name, value] of Object.entries(this.#runProperties)) suite.property(name, value);
        for (const [name, value] of env ? describeEnvironment(env) : []) suite.property(name, value);
        suites.set(result.info.suite, suite);
      }
      addCase(suite, result);
    }
    mkdirSync(dirname(this.#path), { recursive: true });
    writeReportFile(this.#path, report.build());
    return Promise.resolve();
  }
}
