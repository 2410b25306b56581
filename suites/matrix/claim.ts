// The shape of a matrix claim, and helpers judges share.
import type { Verdict } from '../../harness/case.ts';
import type { Need } from '../../harness/needs/index.ts';
import type { Text } from '../../harness/observer/record.ts';
import type { CreatedObservation, MatrixObservation } from './observation.ts';
import { describeCall, type MatrixVariant } from './variant.ts';

export interface MatrixClaim {
  /** Short stable key: tests use it, and LAVA and KCIDB case names are made from it, so it never changes. */
  readonly key: string;
  readonly appliesTo: (variant: MatrixVariant) => boolean;
  readonly sentence: (variant: MatrixVariant) => string;
  readonly specIds: (variant: MatrixVariant) => string[];
  readonly manPage: (variant: MatrixVariant) => string;
  readonly judge: (observation: MatrixObservation) => Verdict;
  /** Needs beyond the variant's own: what the claim is about must exist for it to say anything. */
  readonly needs?: (variant: MatrixVariant) => Need[];
}

/** Whether an export of a file in suites/matrix/claims/ is a matrix claim: what the registry collects. */
export function isMatrixClaim(value: unknown): value is MatrixClaim {
  const claim = value as Partial<MatrixClaim> | null;
  return (
    typeof claim === 'object' &&
    claim !== null &&
    typeof claim.key === 'string' &&
    typeof claim.appliesTo === 'function' &&
    typeof claim.judge === 'function'
  );
}

export const PASS: Verdict = { pass: true };

/** Compares what was seen with what was expected, both already rendered as text. */
export function expectText(expected: string, actual: string): Verdict {
  return expected === actual ? PASS : { pass: false, expected: shown(expected), actual: shown(actual) };
}

/** A message never ends on nothing: an empty reading is named as one. */
function shown(text: string): string {
  return text.trim() === '' ? 'nothing (an empty reading)' : text;
}

/**
 * Judges that need a child fail, naming the errno, when the call was refused. An op the observer declined
 * to run (host safety) is no kernel answer: the verdict is an error.
 */
export function onCreated(
  judge: (observation: CreatedObservation) => Verdict,
): (observation: MatrixObservation) => Verdict {
  return (observation) => {
    if (observation.kind !== 'created')
      return {
        pass: false,
        expected: `${describeCall(observation.variant)} to create the child`,
        actual: `it failed with ${observation.errno}`,
      };
    const declined = declinedOp(observation.child.ops);
    if (declined) return { pass: false, error: declined };
    return judge(observation);
  };
}

/** Per child, once: every claim of a flag set asks, and under emulation walking the ops per claim cost seconds a run. */
const DECLINED = new WeakMap<object, string | null>();

function declinedOp(ops: CreatedObservation['child']['ops']): string | null {
  let known = DECLINED.get(ops);
  if (known === undefined) {
    const declined = Object.entries(ops).find(([, result]) => typeof result.skipped === 'string');
    known = declined ? `the observer did not run op ${declined[0]}: ${String(declined[1].skipped)}` : null;
    DECLINED.set(ops, known);
  }
  return known;
}

/** Two texts that must be the same, both read: two failed reads are not "the same". */
export function sameText(what: string, parent: Text, child: Text, render: (text: string) => string): Verdict {
  if (typeof parent !== 'string')
    return { pass: false, expected: `the parent's ${what} read`, actual: `it could not be read: ${parent.errno}` };
  if (typeof child !== 'string')
    return {
      pass: false,
      expected: `the child's ${what}: ${render(parent)}`,
      actual: `it could not be read: ${child.errno}`,
    };
  return expectText(`${what} ${render(parent)}`, `${what} ${render(child)}`);
}

/** A claim about one kind: one sentence with the flag, another without. */
export function withOrWithout(
  has: (variant: MatrixVariant) => boolean,
  withText: string,
  withoutText: string,
): (variant: MatrixVariant) => string {
  return (variant) => (has(variant) ? withText : withoutText);
}
