// exit: the process a wait step reaped exited with a code, or was killed by a signal.
import { describeOutcome } from '../run.ts';
import type { CheckKind } from './kind.ts';
import { fail, stepName } from './message.ts';
import { stepFor } from './break.ts';
import { render } from './ref.ts';

export interface ExitCheck {
  readonly kind: 'exit';
  readonly step: string;
  readonly code?: number;
  readonly signal?: string;
  readonly why?: string;
}

export const exit: CheckKind<ExitCheck> = {
  kind: 'exit',
  summary:
    '`exitCode(step, n)`, `killedBy(step, SIGNAME)`: the process the wait step reaped exited with n, or was killed by the signal',
  reads: (check) => [check.step],
  judge: (check, run, script) => {
    const step = run.step(check.step);
    const code = step?.code,
      signal = step?.signal;
    if (step && step.r >= 0 && (check.signal !== undefined ? signal === check.signal : code === check.code))
      return null;
    const wanted =
      check.signal !== undefined ? `to have been killed by ${check.signal}` : `to have exited with code ${check.code}`;
    const seen =
      !step || step.r < 0
        ? describeOutcome(step)
        : signal !== undefined
          ? `it was killed by ${render(signal)}`
          : `it exited with code ${render(code)}`;
    return fail(`the process waited for by ${stepName(script, check.step)} ${wanted}`, seen, check.why);
  },
  violate: (check, steps) => {
    const step = stepFor(steps, check.step);
    delete step.signal;
    step.code = check.signal !== undefined ? 0 : (check.code ?? 0) + 1;
  },
};
