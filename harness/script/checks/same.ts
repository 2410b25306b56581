// same: two values read by steps that succeeded are equal.
import type { CheckKind } from './kind.ts';
import { fail, where } from './message.ts';
import { other, pickedValue, setRef, stepFor } from './break.ts';
import { describeReads, readValue } from './both.ts';
import { render, sameValue, type Ref } from './ref.ts';

export interface SameCheck {
  readonly kind: 'same';
  readonly a: Ref;
  readonly b: Ref;
  readonly why?: string;
}

export const same: CheckKind<SameCheck> = {
  kind: 'same',
  summary: '`same(refA, refB)`: both steps succeeded and the two values are equal',
  reads: (check) => [check.a.step, check.b.step],
  judge: (check, run, script) => {
    const a = readValue(run, check.a),
      b = readValue(run, check.b);
    if (a.ok && b.ok && sameValue(a.value, b.value)) return null;
    const actual = describeReads(a, b, (va, vb) => `they are ${render(vb)} and ${render(va)}`);
    return fail(`${where(script, check.b)} to equal ${where(script, check.a)}`, actual, check.why);
  },
  violate: (check, steps) => {
    setRef(stepFor(steps, check.b.step), check.b, other(pickedValue(stepFor(steps, check.a.step), check.a)));
  },
};
