// The shape of a matrix claim, and helpers judges share.
import type { Verdict } from '../../harness/case.ts';
import type { CreatedObservation, MatrixObservation } from './observation.ts';
import { describeCall, type MatrixVariant } from './variant.ts';

export interface MatrixClaim {
  /** Short stable key, used in tests. */
  readonly key: string;
  readonly appliesTo: (variant: MatrixVariant) => boolean;
  readonly sentence: (variant: MatrixVariant) => string;
  readonly specIds: (variant: MatrixVariant) => string[];
  readonly manPage: (variant: MatrixVariant) => string;
  readonly judge: (observation: MatrixObservation) => Verdict;
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

/** Judges that need a child fail, naming the errno, when the call was refused. */
export function onCreated(judge: (observation: CreatedObservation) => Verdict): (observation: MatrixObservation) => Verdict {
  return (observation) =>
    observation.kind === 'created'
      ? judge(observation)
      : { pass: false, expected: `${describeCall(observation.variant)} to create the child`, actual: `it failed with ${observation.errno}` };
}

/** A claim about one kind: one sentence with the flag, another without. */
export function withOrWithout(has: (variant: MatrixVariant) => boolean, withText: string, withoutText: string): (variant: MatrixVariant) => string {
  return (variant) => (has(variant) ? withText : withoutText);
}
