// The JUnit reporter: one testsuite per suite, the environment once, in the shape the Jenkins JUnit schema defines.
import { hostname } from 'node:os';
import junitModule from 'junit-report-builder';
import type { Builder, TestCase, TestSuite } from 'junit-report-builder';
import type { CaseInfo, CaseResult, Outcome } from '../case.ts';
import { describeEnvironment } from '../env/environment.ts';
import type { CollectedRun } from './collected-run.ts';
import { FileReporter } from './file-reporter.ts';
import { VARIANT_PREFIX } from '../script/variants.ts';

/** The package's types declare an ES default export, but under Node its CommonJS module.exports is the builder itself. */
const junit = junitModule as unknown as Builder;

/**
 * The case name without its suite: "flag set › claim [path, mode]". It carries the variant itself, because
 * several consumers drop classname and would otherwise merge the variants of one claim.
 */
export function junitCaseName(info: CaseInfo): string {
  const prefix = `${info.suite} › `;
  return info.id.startsWith(prefix) ? info.id.slice(prefix.length) : info.id;
}

const seconds = (ms: number): number => Math.round(ms) / 1000;

export function outcomeMs(outcome: Outcome): number {
  return outcome.status === 'skip' ? 0 : outcome.durationMs;
}

/**
 * junit-report-builder writes a bare <skipped/>. The Jenkins schema types <skipped> as text without attributes,
 * so the reason goes in as its text, which Jenkins and the other readers show.
 */
function skipWithReason(testCase: TestCase, reason: string): void {
  testCase.skipped();
  const build = testCase.build.bind(testCase);
  testCase.build = (parent) => {
    const element = build(parent);
    const skipped = element.children.find((node) => (node as { name?: string }).name === 'skipped') as
      { txt?: (text: string) => void } | undefined;
    skipped?.txt?.(reason);
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

function addCase(suite: TestSuite, { info, outcome, flaky }: CaseResult): void {
  const testCase = suite.testCase().className(info.classname).name(junitCaseName(info));
  switch (outcome.status) {
    case 'pass':
      testCase.time(seconds(outcome.durationMs));
      // The schema allows no properties on a case: the variant goes in its system-out, where compare reads it back.
      if (outcome.variant) testCase.standardOutput(`${VARIANT_PREFIX}${outcome.variant}`);
      return;
    case 'skip':
      return skipWithReason(testCase, outcome.reason);
    case 'fail':
      testCase.time(seconds(outcome.durationMs));
      testCase
        .failure(outcome.message, flaky ? 'Flaky' : 'ClaimViolated')
        .stacktrace(`${describeCase(info)}\nexpected: ${outcome.expected}\nactual:   ${outcome.actual}`);
      return;
    case 'error':
      testCase.time(seconds(outcome.durationMs));
      testCase.error(outcome.message, 'HarnessError', describeCase(info));
      return;
  }
}

/** junit-report-builder has no setter for a suite's hostname; add it to the element it builds. */
function withHostname(suite: TestSuite, host: string): void {
  const build = suite.build.bind(suite);
  suite.build = (parent) => build(parent).att('hostname', host);
}

/**
 * junit-report-builder always counts skips on <testsuites>, an attribute the schema does not define there, and
 * has no setter for its time: the run's wall-clock time takes that attribute's place.
 */
function rootTime(xml: string, runMs: number): string {
  return xml.replace(/^(<testsuites\b[^>]*?) skipped="\d+"/m, `$1 time="${seconds(runMs)}"`);
}

export class JunitReporter extends FileReporter {
  protected readonly label = 'JUnit';
  readonly #runProperties: Record<string, string>;

  constructor(path: string, runProperties: Record<string, string>) {
    super(path);
    this.#runProperties = runProperties;
  }

  protected render(run: CollectedRun | null): string {
    const report = junit.newBuilder().name('nsconform');
    const timestamp = (run?.startedAt ?? new Date()).toISOString().slice(0, 19);
    const host = hostname();
    let first = true;
    for (const [name, results] of run?.bySuite ?? []) {
      const suiteMs = results.reduce((sum, { outcome }) => sum + outcomeMs(outcome), 0);
      const suite = report.testSuite().name(name).timestamp(timestamp).time(seconds(suiteMs));
      withHostname(suite, host);
      if (first) {
        // The environment once, on the first suite: the schema allows properties only on suites.
        for (const [key, value] of Object.entries(this.#runProperties)) suite.property(key, value);
        for (const [key, value] of run?.env ? describeEnvironment(run.env) : []) suite.property(key, value);
        first = false;
      }
      for (const result of results) addCase(suite, result);
    }
    return rootTime(report.build(), run?.summary?.durationMs ?? 0);
  }
}
