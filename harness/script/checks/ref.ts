// Refs name a value in a step's record; reading one the way every check kind does.
import type { FieldName, Step } from '../op-steps.ts';
import type { ScriptRun } from '../run.ts';
import { fieldOf } from '../run.ts';

/** A value in a step's record; `pick` takes the first capture group of a regex over the field's text. */
export interface Ref {
  readonly step: string;
  readonly field: string;
  readonly pick?: RegExp;
}

/** A ref; given a typed builder's label (s.op.NAME, s.stat, ...), only fields its op records are accepted. */
export function at<S extends string>(
  step: S,
  field?: S extends Step<infer O> ? FieldName<O> : string,
  pick?: RegExp,
): Ref {
  const name: string = field ?? 'r';
  return pick ? { step, field: name, pick } : { step, field: name };
}

/** Any field value as text: strings as they are, objects as JSON. */
export function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

export function render(value: unknown): string {
  if (value === undefined) return '(absent)';
  return JSON.stringify(value) ?? asText(value);
}

/**
 * The value a ref points at: arrays read as space-joined text, picks as their first group.
 * Undefined when the step never ran, failed, or lacks the field: a value only a step that succeeded reported.
 */
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

/** Numbers compare as numbers ("12" equals 12), everything else as text; an absent value equals nothing. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return false;
  const na = Number(a),
    nb = Number(b);
  if (
    typeof a !== 'boolean' &&
    typeof b !== 'boolean' &&
    a !== '' &&
    b !== '' &&
    Number.isFinite(na) &&
    Number.isFinite(nb)
  )
    return na === nb;
  return asText(a) === asText(b);
}
