// The suites nsconform runs, in report order.
import type { Suite } from '../harness/case.ts';
import { matrixSuite } from './matrix/index.ts';
import { SPEC_SUITES } from './spec-suites.ts';

export const SUITES: readonly Suite[] = [matrixSuite, ...SPEC_SUITES];
