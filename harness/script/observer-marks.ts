// What the observer, not the kernel, put into a script record: such a value can decide no check, so the case is an error.
import type { StepRecord } from '../observer/record.ts';

/** A record the protocol does not allow (a step without a label or a result): nothing in it can be read. */
export function malformedStep(steps: readonly StepRecord[]): string | null {
  for (const step of steps) {
    if (typeof step.l !== 'string' || step.l === '')
      return `the observer wrote a step record without a label: ${JSON.stringify(step).slice(0, 200)}`;
    if (typeof step.r !== 'number') return `the observer wrote step ${step.l} without a numeric result`;
  }
  return null;
}

/** Why this step's result is the observer's own (guard refusal, unresolved reference, lost fields), or null. */
export function markOf(step: StepRecord): string | null {
  const label = step.l;
  if (typeof step.guard === 'string') return `step ${label} was refused by the host guard, not run: ${step.guard}`;
  if (typeof step.bad === 'string')
    return `step ${label} was not run as written (its ${step.e ?? 'error'} is the observer's): ${step.bad}`;
  if (step.overflow === true) return `step ${label}'s record overflowed the observer's buffer: its fields are lost`;
  return null;
}

/** The first observer-made step of a record, or null when every step is the kernel's answer. */
export function observerMark(steps: readonly StepRecord[]): string | null {
  const malformed = malformedStep(steps);
  if (malformed) return malformed;
  for (const step of steps) {
    const mark = markOf(step);
    if (mark) return mark;
  }
  return null;
}
