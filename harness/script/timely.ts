// Readings that show something only when taken soon enough ("not free at once"): how late one was, by the clock.
import type { StepRecord } from '../observer/record.ts';
import type { ScriptRun } from './run.ts';

/**
 * Two `instant` steps of one process bracket the reading: `from` before the cause (e.g. before the member is let go),
 * `to` after the reading. CLOCK_MONOTONIC between them is how late the reading can have been — load can delay a
 * reading but never make this gap look shorter — and the process's run-queue wait in between says why.
 */
export interface Timely {
  readonly from: string;
  readonly to: string;
  /** A gap this long or longer says nothing: what the reading looks for may already be over (a measured lower bound). */
  readonly withinMs: number;
  /** The steps whose checks need the reading to be in time; too late, those checks are not judged. */
  readonly readings: readonly string[];
  /** What may be over after withinMs, for the reason: "a net namespace's teardown can be over (measured 27–83 ms)". */
  readonly over: string;
}

const microseconds = (step: StepRecord | undefined, field: 'monoUs' | 'waitUs'): number | null => {
  const value = step?.[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
};

/**
 * The "not observed" reason when the reading came too late, else null. A missing instant decides nothing: the
 * reading is then judged as usual (a kernel that breaks the claim still fails).
 */
export function lateReading(timely: Timely, run: ScriptRun): string | null {
  const from = run.step(timely.from),
    to = run.step(timely.to);
  const start = microseconds(from, 'monoUs'),
    end = microseconds(to, 'monoUs');
  if (start === null || end === null) return null;
  const gapMs = (end - start) / 1000;
  if (gapMs < timely.withinMs) return null;
  const waitStart = microseconds(from, 'waitUs'),
    waitEnd = microseconds(to, 'waitUs');
  const queued =
    waitStart === null || waitEnd === null
      ? ''
      : `, ${((waitEnd - waitStart) / 1000).toFixed(1)} ms of it waiting for a CPU`;
  return (
    `not observed: ${timely.readings.join(', ')} came ${gapMs.toFixed(1)} ms after ${timely.from}${queued}, ` +
    `and after ${timely.withinMs} ms ${timely.over}: the host was too loaded to observe it`
  );
}
