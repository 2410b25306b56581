// --rerun-failed: the case ids a previous JSON or JUnit report failed or errored on.
import { readReport } from '../diff/report-file.ts';

export function failedCaseIds(reportPath: string): Set<string> {
  const { cases } = readReport(reportPath);
  return new Set(
    [...cases].filter(([, outcome]) => outcome.status === 'fail' || outcome.status === 'error').map(([id]) => id),
  );
}
