// Values to relate: only reads that succeeded. A failed step's result (-1) is no value, and an absent field
// (ops report a field only when they read it) relates to nothing, so two failed reads never compare equal.
import type { ScriptRun } from '../run.ts';
import { describeOutcome } from '../run.ts';
import { valueOf, type Ref } from './ref.ts';

/** The value, or why there is none: a missing step, the result of a failed one, or a missing field. */
export function readValue(run: ScriptRun, ref: Ref): { ok: true; value: unknown } | { ok: false; why: string } {
  const step = run.step(ref.step);
  if (!step || (ref.field === 'r' && step.r < 0))
    return { ok: false, why: `step ${ref.step}: ${describeOutcome(step)}` };
  const value = valueOf(run, ref);
  if (value !== undefined && value !== null) return { ok: true, value };
  return {
    ok: false,
    why:
      step.r < 0
        ? `step ${ref.step}: ${describeOutcome(step)}`
        : `step ${ref.step} has no ${ref.field}${ref.pick ? ` matching ${String(ref.pick)}` : ''}`,
  };
}

type Read = ReturnType<typeof readValue>;

/** What two reads saw, for a failure message: both values, or why each one has none. */
export function describeReads(a: Read, b: Read, show: (a: unknown, b: unknown) => string): string {
  return a.ok && b.ok ? show(a.value, b.value) : [a, b].flatMap((read) => (read.ok ? [] : [read.why])).join('; ');
}
