// matches: a value in a step's record matches a regular expression.
import type { CheckKind } from './kind.ts';
import { fail, seen, where } from './message.ts';
import { setRef, stepFor } from './break.ts';
import { asText, valueOf, type Ref } from './ref.ts';

export interface MatchesCheck {
  readonly kind: 'matches';
  readonly ref: Ref;
  readonly pattern: RegExp;
  readonly why?: string;
}

export const matches: CheckKind<MatchesCheck> = {
  kind: 'matches',
  summary: '`matches(ref, /re/)`: the value, as text, matches the pattern',
  reads: (check) => [check.ref.step],
  judge: (check, run, script) => {
    const value = valueOf(run, check.ref);
    return value !== undefined && check.pattern.test(asText(value))
      ? null
      : fail(`${where(script, check.ref)} to match ${String(check.pattern)}`, seen(run, check.ref, value), check.why);
  },
  violate: (check, steps) => {
    setRef(stepFor(steps, check.ref.step), check.ref, '\u0000');
  },
};
