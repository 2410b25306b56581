// nsconform report: a finished run's JSON report as a lab wants it — LAVA signals and result.txt, KCIDB test objects.
import { dirname, join } from 'node:path';
import { EnvironmentError, UsageError } from '../errors.ts';
import { parseJsonReport, readReportSource } from '../diff/report-file.ts';
import { renderKcidb } from '../kcidb/tests.ts';
import { lavaCases } from '../lava/lava-cases.ts';
import { renderResultTxt } from '../lava/result-txt.ts';
import { renderSignals } from '../lava/signals.ts';
import { ReportWriteError, writeReportFile } from '../report/report-file.ts';
import type { LabReport } from './args.ts';
import { checkReportPath } from './report-path.ts';

/** Exit 0 whatever the cases' outcomes: the verdicts are in the output; 2 for a report or path it cannot use. */
export function reportForLab(lab: LabReport): number {
  const source = readReportSource(lab.results);
  if (source.trimStart().startsWith('<'))
    throw new UsageError(`${lab.results}: a JUnit report; report reads the JSON report (nsconform --json)`);
  const document = parseJsonReport(lab.results, source);
  const cases = lavaCases(document.cases, lab.granularity);
  // Every path is checked before anything is written, so a bad one leaves no half-done output.
  const resultTxt = lab.lava
    ? checkReportPath('--result-txt', lab.resultTxt ?? join(dirname(lab.results), 'result.txt'))
    : null;
  const kcidb = lab.kcidb ? checkReportPath('--kcidb', lab.kcidb.file) : null;
  try {
    if (kcidb && lab.kcidb) writeReportFile('KCIDB', kcidb, renderKcidb(cases, document, lab.kcidb, source));
    if (resultTxt) writeReportFile('result.txt', resultTxt, renderResultTxt(cases));
  } catch (error) {
    if (error instanceof ReportWriteError) throw new EnvironmentError(error.message);
    throw error;
  }
  if (resultTxt) process.stdout.write(renderSignals(cases));
  return 0;
}
