// differ: two values read by steps that succeeded are not equal.
import type { CheckKind } from './kind.ts';
import { fail, where } from './message.ts';
import { pickedValue, setRef, stepFor } from './break.ts';
import { describeReads, readValue } from './both.ts';
import { render, sameValue, type Ref } from './ref.ts';

export interface DifferCheck {
  readonly kind: 'differ';
  readonly a: Ref;
  readonly b: Ref;
  readonly why?: string;
}

export const differ: CheckKind<DifferCheck> = {
  kind: 'differ',
  summary: '`differ(refA, refB)`: both steps succeeded and the two values differ',
  reads: (check) => [check.a.step, check.b.step],
  judge: (check, run, script) => {
    const a = readValue(run, check.a),
      b = readValue(run, check.b);
    if (a.ok && b.ok && !sameValue(a.value, b.value)) return null;
    const actual = describeReads(a, b, (va, vb) => `they are ${render(vb)} and ${render(va)}`);
    return fail(`${where(script, check.b)} to differ from ${where(script, check.a)}`, actual, check.why);
  },
  violate: (check, steps) => {
    setRef(stepFor(steps, check.b.step), check.b, pickedValue(stepFor(steps, check.a.step), check.a));
  },
};
