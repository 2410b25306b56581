// The coverage table as it should read now: the checklist in spec/, the cases the suites build, the kernels of their recorded runs.
import { join } from 'node:path';
import type { CaseInfo } from '../case.ts';
import { citingClaims } from './citations.ts';
import { renderCoverage } from './coverage-table.ts';
import { loadChecklist, SPEC_DIR } from './load.ts';
import { readRecordedKernels } from './recorded-kernels.ts';

export const COVERAGE_PATH = join(SPEC_DIR, 'COVERAGE.md');

export function currentCoverage(cases: readonly CaseInfo[]): string {
  const claims = citingClaims(cases);
  const suites = [...new Set(claims.map((claim) => claim.suite))];
  return renderCoverage(loadChecklist(), claims, new Map(suites.map((suite) => [suite, readRecordedKernels(suite)])));
}
