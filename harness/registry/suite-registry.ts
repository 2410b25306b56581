// What the CLI is given by its entry point: the suites to run, and how the HTML report groups their cases.
import type { CaseInfo, Suite } from '../case.ts';

export interface SuiteRegistry {
  /** In report order. */
  readonly suites: readonly Suite[];
  /** The family of a case the HTML report draws one grid for (a matrix claim), or null. */
  readonly familyOf: (info: CaseInfo) => string | null;
}

/** Loads the registry when a command needs it, so that env, vm and diff never import the suites. */
export type LoadRegistry = () => Promise<SuiteRegistry>;
