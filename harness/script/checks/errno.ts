// errno: the step failed with one of the named errors.
import { describeOutcome } from '../run.ts';
import type { CheckKind } from './kind.ts';
import { fail, stepName } from './message.ts';
import { stepFor } from './break.ts';

export interface ErrnoCheck {
  readonly kind: 'errno';
  readonly step: string;
  readonly errno: readonly string[];
  readonly why?: string;
}

export const errno: CheckKind<ErrnoCheck> = {
  kind: 'errno',
  summary: '`errno(step, name | names)`: the step failed with one of these errno names',
  reads: (check) => [check.step],
  judge: (check, run, script) => {
    const step = run.step(check.step);
    if (step && step.r < 0 && check.errno.includes(step.e ?? '')) return null;
    return fail(
      `${stepName(script, check.step)} to fail with ${check.errno.join(' or ')}`,
      describeOutcome(step),
      check.why,
    );
  },
  violate: (check, steps) => {
    const step = stepFor(steps, check.step);
    step.r = 0;
    delete step.e;
  },
};
