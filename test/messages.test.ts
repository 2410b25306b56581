// Failure messages never print an empty or placeholder value: an empty reading is named as one.
import test from 'ava';
import { findCreationPath } from '../harness/creation-path.ts';
import { flagSetOf } from '../harness/flag-set.ts';
import type { NamespaceName } from '../harness/namespaces.ts';
import type { MatrixObservation } from '../suites/matrix/observation.ts';
import type { MatrixVariant } from '../suites/matrix/variant.ts';
import { conformingObservation } from './fixtures/matrix-observation.ts';
import { loadSuites } from '../suites/registry.ts';

const { matrixClaims: MATRIX_CLAIMS } = await loadSuites();

function variantOf(kinds: NamespaceName[]): MatrixVariant {
  return { flagSet: flagSetOf(kinds), path: findCreationPath('clone3')!, mode: 'root' };
}

function judgeWith(
  key: string,
  kinds: NamespaceName[],
  mutate: (observation: MatrixObservation & { kind: 'created' }) => void,
): string {
  const observation = structuredClone(conformingObservation(variantOf(kinds)));
  if (observation.kind !== 'created') throw new Error('fixture was refused');
  mutate(observation);
  const verdict = MATRIX_CLAIMS.find((claim) => claim.key === key)!.judge(observation);
  if (verdict.pass) return 'pass';
  return verdict.error !== undefined
    ? `not judged: ${verdict.error}`
    : `expected ${verdict.expected}; got ${verdict.actual}`;
}

test('an NSpid line that could not be read is named, not "0 levels ending []"', (t) => {
  const message = judgeWith('pid', ['pid'], (observation) => (observation.outside.nspid = []));
  t.regex(message, /got pid 1, ppid 0, no NSpid line$/);
  t.notRegex(message, /0 levels|\[\]/);
});

test('an empty /proc/self/cgroup reads as an empty reading, not as nothing after "got"', (t) => {
  const message = judgeWith('cgroup', ['cgroup'], (observation) => (observation.child.cgroup = ''));
  t.regex(message, /^expected \/; got nothing \(an empty reading\)$/);
});
