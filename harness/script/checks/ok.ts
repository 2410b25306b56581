// ok: the step succeeded (a result >= 0).
import { describeOutcome } from '../run.ts';
import type { CheckKind } from './kind.ts';
import { fail, stepName } from './message.ts';
import { stepFor } from './break.ts';

export interface OkCheck {
  readonly kind: 'ok';
  readonly step: string;
  readonly why?: string;
}

export const ok: CheckKind<OkCheck> = {
  kind: 'ok',
  summary: '`ok(step)`: the step returned a result >= 0',
  reads: (check) => [check.step],
  judge: (check, run, script) => {
    const step = run.step(check.step);
    if (step && step.r >= 0) return null;
    return fail(`${stepName(script, check.step)} to succeed`, describeOutcome(step), check.why);
  },
  violate: (check, steps) => {
    Object.assign(stepFor(steps, check.step), { r: -1, e: 'EPERM' });
  },
};
