// equals: a value in a step's record is this constant.
import type { CheckKind } from './kind.ts';
import { fail, seen, where } from './message.ts';
import { other, setRef, stepFor } from './break.ts';
import { render, sameValue, valueOf, type Ref } from './ref.ts';

export interface EqualsCheck {
  readonly kind: 'equals';
  readonly ref: Ref;
  readonly value: string | number | boolean;
  readonly why?: string;
}

export const equals: CheckKind<EqualsCheck> = {
  kind: 'equals',
  summary: '`equals(ref, value)`: the value is this constant (numbers compare as numbers)',
  reads: (check) => [check.ref.step],
  judge: (check, run, script) => {
    const value = valueOf(run, check.ref);
    return sameValue(value, check.value)
      ? null
      : fail(`${where(script, check.ref)} to be ${render(check.value)}`, seen(run, check.ref, value), check.why);
  },
  violate: (check, steps) => {
    setRef(stepFor(steps, check.ref.step), check.ref, other(check.value));
  },
};
