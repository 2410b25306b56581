// ret: the step returned exactly this value.
import { describeOutcome } from '../run.ts';
import type { CheckKind } from './kind.ts';
import { fail, stepName } from './message.ts';
import { stepFor } from './break.ts';

export interface RetCheck {
  readonly kind: 'ret';
  readonly step: string;
  readonly value: number;
  readonly why?: string;
}

export const ret: CheckKind<RetCheck> = {
  kind: 'ret',
  summary: '`ret(step, n)`: the step returned exactly n',
  reads: (check) => [check.step],
  judge: (check, run, script) => {
    const step = run.step(check.step);
    if (step && step.r === check.value) return null;
    return fail(`${stepName(script, check.step)} to return ${check.value}`, describeOutcome(step), check.why);
  },
  violate: (check, steps) => {
    stepFor(steps, check.step).r = check.value + 1;
  },
};
