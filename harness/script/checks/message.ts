// The words of a failed check: which step and field, what was expected, what was seen.
import type { Verdict } from '../../case.ts';
import type { Script } from '../builder.ts';
import { describeOutcome, type ScriptRun } from '../run.ts';
import { render, type Ref } from './ref.ts';

export function where(script: Script | undefined, ref: Ref): string {
  const field = ref.field === 'r' ? 'result' : ref.field;
  return `${field}${ref.pick ? ` (${String(ref.pick)})` : ''} of step ${ref.step}${script ? ` (${script.describe(ref.step)})` : ''}`;
}

export function stepName(script: Script | undefined, label: string): string {
  return `step ${label}${script ? ` (${script.describe(label)})` : ''}`;
}

export function fail(expected: string, actual: string, why?: string): Verdict {
  return { pass: false, expected: why ? `${expected} — ${why}` : expected, actual };
}

/** What was seen for a value: the value, or why the step has none (it failed, or never ran). */
export function seen(run: ScriptRun, ref: Ref, value: unknown): string {
  const step = run.step(ref.step);
  if (value === undefined && (!step || step.r < 0 || step.guard)) return describeOutcome(step);
  return `it is ${render(value)}`;
}
