// The suite registry: every folder of suites/ is a listed suite, and a suite's claims come in file, then source, order.
import test from 'ava';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadSuites, SPEC_SUITE_ORDER } from '../suites/registry.ts';

const registry = await loadSuites();

test('the suites are the matrix, then SPEC_SUITE_ORDER, each with claims', (t) => {
  t.deepEqual(
    registry.suites.map((suite) => suite.name),
    ['matrix', ...SPEC_SUITE_ORDER],
  );
  for (const suite of registry.specSuites)
    t.true(suite.claims.length + suite.harnessClaims.length > 0, `${suite.name} has no claims`);
  t.true(registry.matrixClaims.length >= 10);
});

test('a suite runs its claims in file-name order, each file in the order it states them', (t) => {
  const uts = registry.specSuites.find((suite) => suite.name === 'uts')!;
  t.deepEqual(
    uts.claims.map((claim) => claim.key),
    [
      'initial-copy',
      'members-see-changes',
      'uname-after-sethostname',
      'needs-owner-capability',
      'eperm-without-capability',
    ],
  );
});

test('a folder of suites/ missing from SPEC_SUITE_ORDER is an error, not a suite no run sees', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'nsconform-registry-test-'));
  try {
    mkdirSync(join(root, 'newsuite'));
    await t.throwsAsync(loadSuites(pathToFileURL(`${root}/`)), {
      message: /suites\/newsuite is a folder of claims no run would see: add it to SPEC_SUITE_ORDER/,
    });
  } finally {
    rmSync(root, { recursive: true });
  }
});
