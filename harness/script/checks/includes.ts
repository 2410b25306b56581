// includes: a value in a step's record contains this text.
import type { CheckKind } from './kind.ts';
import { fail, seen, where } from './message.ts';
import { setRef, stepFor } from './break.ts';
import { asText, render, valueOf, type Ref } from './ref.ts';

export interface IncludesCheck {
  readonly kind: 'includes';
  readonly ref: Ref;
  readonly text: string;
  readonly why?: string;
}

export const includes: CheckKind<IncludesCheck> = {
  kind: 'includes',
  summary: '`includes(ref, text)`: the value, as text, contains the text',
  reads: (check) => [check.ref.step],
  judge: (check, run, script) => {
    const value = valueOf(run, check.ref);
    if (value !== undefined && asText(value).includes(check.text)) return null;
    return fail(`${where(script, check.ref)} to contain ${render(check.text)}`, seen(run, check.ref, value), check.why);
  },
  violate: (check, steps) => {
    setRef(stepFor(steps, check.ref.step), check.ref, '\u0000');
  },
};
