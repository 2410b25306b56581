// excludes: a value in a step's record (which must be there) does not contain this text.
import type { CheckKind } from './kind.ts';
import { fail, seen, where } from './message.ts';
import { pickedValue, setRef, stepFor } from './break.ts';
import { asText, render, valueOf, type Ref } from './ref.ts';

export interface ExcludesCheck {
  readonly kind: 'excludes';
  readonly ref: Ref;
  readonly text: string;
  readonly why?: string;
}

export const excludes: CheckKind<ExcludesCheck> = {
  kind: 'excludes',
  summary: '`excludes(ref, text)`: the value is there and, as text, does not contain the text',
  reads: (check) => [check.ref.step],
  judge: (check, run, script) => {
    const value = valueOf(run, check.ref);
    if (value !== undefined && !asText(value).includes(check.text)) return null;
    return fail(
      `${where(script, check.ref)} not to contain ${render(check.text)}`,
      seen(run, check.ref, value),
      check.why,
    );
  },
  violate: (check, steps) => {
    const step = stepFor(steps, check.ref.step);
    setRef(step, check.ref, `${asText(pickedValue(step, check.ref))}${check.text}`);
  },
};
