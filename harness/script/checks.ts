// Declarative judges: each check names the step (and field) it reads, so a test can break exactly that and see it fail.
import type { Verdict } from '../case.ts';
import type { StepRecord } from '../observer/record.ts';
import type { Script } from './builder.ts';
import { describeOutcome, fieldOf, setFieldOf, type ScriptRun } from './run.ts';

/** A value in a step's record; `pick` takes the first capture group of a regex over the field's text. */
export interface Ref {
  readonly step: string;
  readonly field: string;
  readonly pick?: RegExp;
}

export type Comparison = '<' | '<=' | '>' | '>=';

export type Check =
  | { kind: 'ok'; step: string; why?: string }
  | { kind: 'errno'; step: string; errno: readonly string[]; why?: string }
  | { kind: 'ret'; step: string; value: number; why?: string }
  | { kind: 'equals'; ref: Ref; value: string | number | boolean; why?: string }
  | { kind: 'matches'; ref: Ref; pattern: RegExp; why?: string }
  | { kind: 'includes'; ref: Ref; text: string; why?: string }
  | { kind: 'excludes'; ref: Ref; text: string; why?: string }
  | { kind: 'same'; a: Ref; b: Ref; why?: string }
  | { kind: 'differ'; a: Ref; b: Ref; why?: string }
  | { kind: 'exit'; step: string; code?: number; signal?: string; why?: string }
  | { kind: 'compare'; a: Ref; op: Comparison; b: Ref | number; why?: string };

const at = (step: string, field = 'r', pick?: RegExp): Ref => (pick ? { step, field, pick } : { step, field });

/** Check constructors, so claims read as sentences. */
export const expect = {
  ok: (step: string, why?: string): Check => ({ kind: 'ok', step, why }),
  errno: (step: string, errno: string | readonly string[], why?: string): Check => ({ kind: 'errno', step, errno: typeof errno === 'string' ? [errno] : errno, why }),
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
  at,
};

/** Any field value as text: strings as they are, objects as JSON. */
function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

function render(value: unknown): string {
  if (value === undefined) return '(absent)';
  return JSON.stringify(value) ?? asText(value);
}

/** The value a ref points at: arrays read as space-joined text, picks as their first group. */
export function valueOf(run: ScriptRun, ref: Ref): unknown {
  const step = run.step(ref.step);
  if (!step) return undefined;
  let value = fieldOf(step, ref.field);
  if (Array.isArray(value)) value = value.join(' ');
  if (ref.pick) {
    if (typeof value !== 'string' && typeof value !== 'number') return undefined;
    const match = ref.pick.exec(asText(value));
    return match ? match[1] : undefined;
  }
  return value;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return false;
  const na = Number(a), nb = Number(b);
  if (typeof a !== 'boolean' && typeof b !== 'boolean' && a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na === nb;
  return asText(a) === asText(b);
}

function where(script: Script | undefined, ref: Ref): string {
  const field = ref.field === 'r' ? 'result' : ref.field;
  return `${field}${ref.pick ? ` (${String(ref.pick)})` : ''} of step ${ref.step}${script ? ` (${script.describe(ref.step)})` : ''}`;
}

function stepName(script: Script | undefined, label: string): string {
  return `step ${label}${script ? ` (${script.describe(label)})` : ''}`;
}

function fail(expected: string, actual: string, why?: string): Verdict {
  return { pass: false, expected: why ? `${expected} — ${why}` : expected, actual };
}

function compareHolds(a: number, op: Comparison, b: number): boolean {
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

/** What was seen for a value: the value, or why the step has none (it failed, or never ran). */
function seen(run: ScriptRun, ref: Ref, value: unknown): string {
  const step = run.step(ref.step);
  if (value === undefined && (!step || step.r < 0 || step.guard)) return describeOutcome(step);
  return `it is ${render(value)}`;
}

function judgeOne(check: Check, run: ScriptRun, script?: Script): Verdict | null {
  switch (check.kind) {
    case 'ok': {
      const step = run.step(check.step);
      if (step && step.r >= 0 && !step.guard) return null;
      return fail(`${stepName(script, check.step)} to succeed`, describeOutcome(step), check.why);
    }
    case 'errno': {
      const step = run.step(check.step);
      if (step && step.r < 0 && !step.guard && check.errno.includes(step.e ?? '')) return null;
      return fail(`${stepName(script, check.step)} to fail with ${check.errno.join(' or ')}`, describeOutcome(step), check.why);
    }
    case 'ret': {
      const step = run.step(check.step);
      if (step && step.r === check.value && !step.guard) return null;
      return fail(`${stepName(script, check.step)} to return ${check.value}`, describeOutcome(step), check.why);
    }
    case 'equals': {
      const value = valueOf(run, check.ref);
      return sameValue(value, check.value) ? null : fail(`${where(script, check.ref)} to be ${render(check.value)}`, seen(run, check.ref, value), check.why);
    }
    case 'matches': {
      const value = valueOf(run, check.ref);
      return value !== undefined && check.pattern.test(asText(value))
        ? null
        : fail(`${where(script, check.ref)} to match ${String(check.pattern)}`, seen(run, check.ref, value), check.why);
    }
    case 'includes':
    case 'excludes': {
      const value = valueOf(run, check.ref);
      const has = value !== undefined && asText(value).includes(check.text);
      if (value !== undefined && has === (check.kind === 'includes')) return null;
      return fail(`${where(script, check.ref)} ${check.kind === 'includes' ? 'to contain' : 'not to contain'} ${render(check.text)}`, seen(run, check.ref, value), check.why);
    }
    case 'same':
    case 'differ': {
      const a = valueOf(run, check.a), b = valueOf(run, check.b);
      const equal = sameValue(a, b);
      if (a !== undefined && b !== undefined && equal === (check.kind === 'same')) return null;
      const relation = check.kind === 'same' ? 'to equal' : 'to differ from';
      return fail(`${where(script, check.b)} ${relation} ${where(script, check.a)}`, `they are ${render(b)} and ${render(a)}`, check.why);
    }
    case 'exit': {
      const step = run.step(check.step);
      const code = step?.code, signal = step?.signal;
      const ok = step && step.r >= 0 && (check.signal !== undefined ? signal === check.signal : code === check.code);
      if (ok) return null;
      const wanted = check.signal !== undefined ? `to have been killed by ${check.signal}` : `to have exited with code ${check.code}`;
      const seen = !step || step.r < 0 ? describeOutcome(step) : signal !== undefined ? `it was killed by ${render(signal)}` : `it exited with code ${render(code)}`;
      return fail(`the process waited for by ${stepName(script, check.step)} ${wanted}`, seen, check.why);
    }
    case 'compare': {
      const a = Number(valueOf(run, check.a));
      const b = typeof check.b === 'number' ? check.b : Number(valueOf(run, check.b));
      if (Number.isFinite(a) && Number.isFinite(b) && compareHolds(a, check.op, b)) return null;
      const other = typeof check.b === 'number' ? String(check.b) : where(script, check.b);
      return fail(`${where(script, check.a)} ${check.op} ${other}`, `${render(valueOf(run, check.a))} vs ${render(b)}`, check.why);
    }
  }
}

/** The first failing check decides; a step the host guard refused fails the claim with the guard's reason. */
export function judgeChecks(checks: readonly Check[], run: ScriptRun, script?: Script): Verdict {
  if (checks.length === 0) return { pass: false, expected: 'at least one check', actual: 'the claim checks nothing' };
  for (const check of checks) {
    const verdict = judgeOne(check, run, script);
    if (verdict) return verdict;
  }
  const guarded = run.guarded();
  if (guarded) return fail(`no step to touch the host`, `step ${guarded.l}: ${String(guarded.guard)}`);
  return { pass: true };
}

// ---- violations, for the unit tests: break exactly what one check reads ----

function refValue(step: StepRecord, ref: Ref): unknown {
  const value = fieldOf(step, ref.field);
  return Array.isArray(value) ? value.join(' ') : value;
}

function pickedValue(step: StepRecord, ref: Ref): unknown {
  const value = refValue(step, ref);
  if (!ref.pick) return value;
  const match = ref.pick.exec(asText(value));
  return match ? match[1] : undefined;
}

function setRef(step: StepRecord, ref: Ref, value: unknown): void {
  if (!ref.pick) {
    setFieldOf(step, ref.field, value);
    return;
  }
  const text = asText(refValue(step, ref));
  const match = ref.pick.exec(text);
  if (!match || match[1] === undefined) {
    setFieldOf(step, ref.field, '');
    return;
  }
  const start = match.index + match[0].indexOf(match[1]);
  setFieldOf(step, ref.field, text.slice(0, start) + String(value) + text.slice(start + match[1].length));
}

function other(value: unknown): unknown {
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return String(Number(value) + 1);
  return `${asText(value)}✗`;
}

function stepFor(steps: StepRecord[], label: string): StepRecord {
  const found = steps.find((step) => step.l === label);
  if (found) return found;
  const made: StepRecord = { l: label, p: 'main', r: 0 };
  steps.push(made);
  return made;
}

/** A copy of the record with the one thing `check` reads broken so that the check, and so the judge, must fail. */
export function violate(record: { steps: StepRecord[] }, check: Check): { steps: StepRecord[] } {
  const steps = structuredClone(record.steps);
  switch (check.kind) {
    case 'ok':
      Object.assign(stepFor(steps, check.step), { r: -1, e: 'EPERM' });
      break;
    case 'errno': {
      const step = stepFor(steps, check.step);
      step.r = 0;
      delete step.e;
      break;
    }
    case 'ret':
      stepFor(steps, check.step).r = check.value + 1;
      break;
    case 'equals':
      setRef(stepFor(steps, check.ref.step), check.ref, other(check.value));
      break;
    case 'matches':
    case 'includes':
      setRef(stepFor(steps, check.ref.step), check.ref, '\u0000');
      break;
    case 'excludes':
      setRef(stepFor(steps, check.ref.step), check.ref, `${asText(pickedValue(stepFor(steps, check.ref.step), check.ref))}${check.text}`);
      break;
    case 'same': {
      setRef(stepFor(steps, check.b.step), check.b, other(pickedValue(stepFor(steps, check.a.step), check.a)));
      break;
    }
    case 'differ': {
      setRef(stepFor(steps, check.b.step), check.b, pickedValue(stepFor(steps, check.a.step), check.a));
      break;
    }
    case 'exit': {
      const step = stepFor(steps, check.step);
      if (check.signal !== undefined) {
        delete step.signal;
        step.code = 0;
      } else {
        delete step.signal;
        step.code = (check.code ?? 0) + 1;
      }
      break;
    }
    case 'compare': {
      const b = typeof check.b === 'number' ? check.b : Number(pickedValue(stepFor(steps, check.b.step), check.b));
      const bad = check.op === '<' || check.op === '>' ? b : check.op === '<=' ? b + 1 : b - 1;
      setRef(stepFor(steps, check.a.step), check.a, bad);
      break;
    }
  }
  return { steps };
}
