// vm.junit.xml: whether the guest run finished and reported, and whether the guest kernel stayed healthy — CI tools show both.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import junitModule from 'junit-report-builder';
import type { Builder } from 'junit-report-builder';
import { writeReportFile } from '../report/report-file.ts';

/** See harness/report/junit.ts: under Node the CommonJS module.exports is the builder itself. */
const junit = junitModule as unknown as Builder;
const TAIL_LINES = 60;

export interface GuestVerdict {
  readonly release: string;
  readonly seconds: number;
  readonly properties: Readonly<Record<string, string>>;
  /** Why the run did not finish and report, or null. */
  readonly error: string | null;
  /** Taint and splats; null when the run did not get far enough to check. */
  readonly health: string[] | null;
}

export function consoleTail(outDir: string): string {
  const log = join(outDir, 'console.log');
  if (!existsSync(log)) return '(no console log)';
  return readFileSync(log, 'utf8').split('\n').slice(-TAIL_LINES).join('\n');
}

export function writeGuestReport(outDir: string, verdict: GuestVerdict): string {
  const report = junit.newBuilder();
  const suite = report.testSuite().name('vm').property('kernel.release', verdict.release);
  for (const [name, value] of Object.entries(verdict.properties)) suite.property(name, value);
  const finished = suite
    .testCase()
    .className('vm')
    .name('the guest run finishes and reports both runs')
    .time(verdict.seconds);
  if (verdict.error)
    finished.error(
      verdict.error,
      'GuestFailed',
      `console tail (${join(outDir, 'console.log')}):\n${consoleTail(outDir)}`,
    );
  const healthy = suite
    .testCase()
    .className('vm')
    .name('the guest kernel stays healthy: no new taint, no warning, bug or oops in its log');
  if (verdict.health === null)
    healthy.skipped().standardOutput('the run did not get far enough to read the taint flags and the kernel log');
  else if (verdict.health.length > 0)
    healthy.failure(verdict.health[0] ?? '', 'KernelHealth').standardOutput(verdict.health.join('\n'));
  const path = join(outDir, 'vm.junit.xml');
  writeReportFile('VM', path, report.build());
  return path;
}
