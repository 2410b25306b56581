// The suites nsconform runs, found on disk: each folder named here is a suite, and its claims are what its files export.
import { readdirSync } from 'node:fs';
import type { CaseInfo, Suite } from '../harness/case.ts';
import { folderExports, importModule, type LoadModule } from '../harness/registry/folder-exports.ts';
import type { SuiteRegistry } from '../harness/registry/suite-registry.ts';
import { isHarnessClaim } from '../harness/script/harness-claim.ts';
import { isSpecClaim, specSuite, type SpecSuite } from '../harness/script/spec-claim.ts';
import { isMatrixClaim, type MatrixClaim } from './matrix/claim.ts';
import { matrixFamilies } from './matrix/families.ts';
import { matrixSuite } from './matrix/index.ts';

/** The spec suites in report order, after the matrix: a new folder of claims is added here once. */
export const SPEC_SUITE_ORDER = [
  'nsfs',
  'clone',
  'setns',
  'user',
  'pid',
  'mnt',
  'uts',
  'ipc',
  'net',
  'cgroup',
  'time',
  'lifetime',
  'scenarios',
] as const;

/** Each suite folder's suite.ts: its one-line description. */
interface SuiteFile {
  readonly description: string;
}

export interface LoadedSuites extends SuiteRegistry {
  readonly matrix: Suite;
  readonly specSuites: readonly SpecSuite[];
  readonly matrixClaims: readonly MatrixClaim[];
}

async function loadSpecSuite(root: URL, name: string, load: LoadModule): Promise<SpecSuite> {
  const folder = new URL(`${name}/`, root);
  const { description } = (await load(new URL('suite.ts', folder))) as unknown as SuiteFile;
  const claims = await folderExports(folder, isSpecClaim, load, ['suite.ts']);
  const harnessClaims = await folderExports(folder, isHarnessClaim, load, ['suite.ts']);
  return specSuite(name, description, claims, harnessClaims);
}

/**
 * Every suite, from the suites/ folder at `root`. `load` imports one file: the entry point's own import, or a bundle's table
 * of the files it holds (harness/vm/guest-entry.ts), which is why the registry is handed to the CLI rather than imported by it.
 */
export async function loadSuites(
  root: URL = new URL('./', import.meta.url),
  load: LoadModule = importModule,
): Promise<LoadedSuites> {
  const unlisted = readdirSync(root, { withFileTypes: true }).filter(
    (entry) =>
      entry.isDirectory() && entry.name !== 'matrix' && !(SPEC_SUITE_ORDER as readonly string[]).includes(entry.name),
  );
  if (unlisted.length)
    throw new Error(
      `suites/${unlisted[0]!.name} is a folder of claims no run would see: add it to SPEC_SUITE_ORDER in suites/registry.ts`,
    );
  const { description } = (await load(new URL('matrix/suite.ts', root))) as unknown as SuiteFile;
  const matrixClaims = await folderExports(new URL('matrix/claims/', root), isMatrixClaim, load);
  const specSuites: SpecSuite[] = [];
  for (const name of SPEC_SUITE_ORDER) specSuites.push(await loadSpecSuite(root, name, load));
  const matrix = matrixSuite(description, matrixClaims);
  const familyOf: (info: CaseInfo) => string | null = matrixFamilies(matrixClaims);
  return { suites: [matrix, ...specSuites], familyOf, matrix, specSuites, matrixClaims };
}
