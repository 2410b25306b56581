// compare: a number read by a step that succeeded stands in an order relation to a constant or another such number.
import type { CheckKind } from './kind.ts';
import { fail, where } from './message.ts';
import { pickedValue, setRef, stepFor } from './break.ts';
import { describeReads, readValue } from './both.ts';
import { render, type Ref } from './ref.ts';

export type Comparison = '<' | '<=' | '>' | '>=';

export interface CompareCheck {
  readonly kind: 'compare';
  readonly a: Ref;
  readonly op: Comparison;
  readonly b: Ref | number;
  readonly why?: string;
}

function holds(a: number, op: Comparison, b: number): boolean {
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

export const compare: CheckKind<CompareCheck> = {
  kind: 'compare',
  summary: '`compare(ref, op, ref | n)`: both reads succeeded, are numbers, and a op b holds (op one of < <= > >=)',
  reads: (check) => (typeof check.b === 'number' ? [check.a.step] : [check.a.step, check.b.step]),
  judge: (check, run, script) => {
    const a = readValue(run, check.a);
    const b = typeof check.b === 'number' ? { ok: true as const, value: check.b } : readValue(run, check.b);
    const na = a.ok ? Number(a.value) : NaN,
      nb = b.ok ? Number(b.value) : NaN;
    if (Number.isFinite(na) && Number.isFinite(nb) && holds(na, check.op, nb)) return null;
    const other = typeof check.b === 'number' ? String(check.b) : where(script, check.b);
    const actual = describeReads(a, b, (va, vb) => `${render(va)} vs ${render(vb)}`);
    return fail(`${where(script, check.a)} ${check.op} ${other}`, actual, check.why);
  },
  violate: (check, steps) => {
    const b = typeof check.b === 'number' ? check.b : Number(pickedValue(stepFor(steps, check.b.step), check.b));
    const bad = check.op === '<' || check.op === '>' ? b : check.op === '<=' ? b + 1 : b - 1;
    setRef(stepFor(steps, check.a.step), check.a, bad);
  },
};
