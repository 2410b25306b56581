// Declarative judges: each check names the step (and field) it reads, so a test can break exactly that and see it fail.
// One module per kind lives in checks/; this is the one import claims use: constructors, the judge, the violation.
import type { Verdict } from '../case.ts';
import type { StepRecord } from '../observer/record.ts';
import type { Script } from './builder.ts';
import type { ScriptRun } from './run.ts';
import type { Comparison } from './checks/compare.ts';
import type { Rule } from './checks/fits.ts';
import { malformedStep, markOf, observerMark } from './observer-marks.ts';
import { at, type Ref } from './checks/ref.ts';
import { kindOf, type Check } from './checks/table.ts';

export type { Check } from './checks/table.ts';
export type { Comparison } from './checks/compare.ts';
export type { Rule } from './checks/fits.ts';
export type { Ref } from './checks/ref.ts';

/** Check constructors, so claims read as sentences. */
export const expect = {
  ok: (step: string, why?: string): Check => ({ kind: 'ok', step, why }),
  errno: (step: string, errno: string | readonly string[], why?: string): Check => ({
    kind: 'errno',
    step,
    errno: typeof errno === 'string' ? [errno] : errno,
    why,
  }),
  ret: (step: string, value: number, why?: string): Check => ({ kind: 'ret', step, value, why }),
  equals: (ref: Ref, value: string | number | boolean, why?: string): Check => ({ kind: 'equals', ref, value, why }),
  matches: (ref: Ref, pattern: RegExp, why?: string): Check => ({ kind: 'matches', ref, pattern, why }),
  includes: (ref: Ref, text: string, why?: string): Check => ({ kind: 'includes', ref, text, why }),
  excludes: (ref: Ref, text: string, why?: string): Check => ({ kind: 'excludes', ref, text, why }),
  same: (a: Ref, b: Ref, why?: string): Check => ({ kind: 'same', a, b, why }),
  differ: (a: Ref, b: Ref, why?: string): Check => ({ kind: 'differ', a, b, why }),
  exitCode: (step: string, code: number, why?: string): Check => ({ kind: 'exit', step, code, why }),
  killedBy: (step: string, signal: string, why?: string): Check => ({ kind: 'exit', step, signal, why }),
  compare: (a: Ref, op: Comparison, b: Ref | number, why?: string): Check => ({ kind: 'compare', a, op, b, why }),
  fits: (ref: Ref, from: readonly Ref[], rule: Rule, why?: string): Check => ({ kind: 'fits', ref, from, rule, why }),
  at,
};

/** The step labels a check reads. */
export function readsOf(check: Check): string[] {
  return kindOf(check).reads(check);
}

/** One check alone: null when it holds. */
export function judgeCheck(check: Check, run: ScriptRun, script?: Script): Verdict | null {
  return kindOf(check).judge(check, run, script);
}

/**
 * The first check that does not hold decides. A check reading a step the observer made up (an unresolved
 * reference, a host guard refusal, a truncated record) decides nothing: the verdict is an error naming why.
 * A check that failed on the kernel's own values before it still fails the claim. When every check holds,
 * any observer-made step left in the record makes the verdict an error too: the script did not run as written.
 */
export function judgeChecks(checks: readonly Check[], run: ScriptRun, script?: Script): Verdict {
  if (checks.length === 0) return { pass: false, expected: 'at least one check', actual: 'the claim checks nothing' };
  const malformed = malformedStep(run.record.steps);
  if (malformed) return { pass: false, error: malformed };
  for (const check of checks) {
    for (const label of readsOf(check)) {
      const step = run.step(label);
      const mark = step ? markOf(step) : null;
      if (mark) return { pass: false, error: mark };
    }
    const verdict = judgeCheck(check, run, script);
    if (verdict) return verdict;
  }
  const made = observerMark(run.record.steps);
  return made ? { pass: false, error: made } : { pass: true };
}

/** A copy of the record with the one thing `check` reads broken so that the check must fail. */
export function violate(record: { steps: readonly StepRecord[] }, check: Check): { steps: StepRecord[] } {
  const steps = structuredClone(record.steps) as StepRecord[];
  kindOf(check).violate(check, steps);
  return { steps };
}
