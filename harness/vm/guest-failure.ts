// A guest that hung or ended without reports still leaves a JUnit file: one <error> CI tools show.
import { join } from 'node:path';
import junitModule from 'junit-report-builder';
import type { Builder } from 'junit-report-builder';
import { writeReportFile } from '../report/report-file.ts';

/** See harness/report/junit.ts: under Node the CommonJS module.exports is the builder itself. */
const junit = junitModule as unknown as Builder;

export function writeGuestFailure(outDir: string, release: string, message: string, seconds: number): string {
  const report = junit.newBuilder();
  const suite = report.testSuite().name('vm').property('kernel.release', release);
  suite.testCase().className('vm').name('the guest run finishes and reports both privilege modes').time(seconds).error(message, 'GuestFailed', `see ${join(outDir, 'console.log')}`);
  const path = join(outDir, 'vm.junit.xml');
  writeReportFile('VM', path, report.build());
  return path;
}
