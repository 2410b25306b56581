// fits: a value obeys a rule whose terms are read from other steps (e.g. the devices a namespace may hold, from the drivers loaded).
import type { CheckKind } from './kind.ts';
import { fail, where } from './message.ts';
import { setRef, stepFor, pickedValue } from './break.ts';
import { readValue } from './both.ts';
import { render, valueOf, type Ref } from './ref.ts';

/** A rule over a value, given the values of `from` (undefined where a step failed or never ran: the rule decides what that means). */
export interface Rule {
  /** What the rule expects, for failure messages. */
  readonly expects: (from: readonly unknown[]) => string;
  readonly holds: (value: unknown, from: readonly unknown[]) => boolean;
  /** A value the rule must refuse, for the falsifiability test. */
  readonly breaking: (from: readonly unknown[]) => unknown;
}

export interface FitsCheck {
  readonly kind: 'fits';
  readonly ref: Ref;
  readonly from: readonly Ref[];
  readonly rule: Rule;
  readonly why?: string;
}

export const fits: CheckKind<FitsCheck> = {
  kind: 'fits',
  summary:
    '`fits(ref, fromRefs, rule)`: the value was read and obeys a rule whose terms come from other steps (the rule says what a failed read of those means)',
  reads: (check) => [check.ref.step, ...check.from.map((ref) => ref.step)],
  judge: (check, run, script) => {
    const from = check.from.map((ref) => valueOf(run, ref));
    const value = readValue(run, check.ref);
    if (value.ok && check.rule.holds(value.value, from)) return null;
    return fail(
      `${where(script, check.ref)} to be ${check.rule.expects(from)}`,
      value.ok ? `it is ${render(value.value)}` : value.why,
      check.why,
    );
  },
  violate: (check, steps) => {
    const from = check.from.map((ref) => pickedValue(stepFor(steps, ref.step), ref));
    setRef(stepFor(steps, check.ref.step), check.ref, check.rule.breaking(from));
  },
};
