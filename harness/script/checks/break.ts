// Breaking a record for the falsifiability tests: change exactly the value one check reads.
import type { StepRecord } from '../../observer/record.ts';
import { fieldOf, setFieldOf } from '../run.ts';
import { asText, type Ref } from './ref.ts';

function refValue(step: StepRecord, ref: Ref): unknown {
  const value = fieldOf(step, ref.field);
  return Array.isArray(value) ? value.join(' ') : value;
}

export function pickedValue(step: StepRecord, ref: Ref): unknown {
  const value = refValue(step, ref);
  if (!ref.pick) return value;
  const match = ref.pick.exec(asText(value));
  return match ? match[1] : undefined;
}

export function setRef(step: StepRecord, ref: Ref, value: unknown): void {
  if (!ref.pick) {
    setFieldOf(step, ref.field, value);
    return;
  }
  const text = asText(refValue(step, ref));
  // The group's own position (flag d): the same digits may come earlier in the match ("Uid: 0 0 0 0").
  const match = new RegExp(ref.pick.source, `${ref.pick.flags.replace(/[gyd]/g, '')}d`).exec(text);
  const span = match?.indices?.[1];
  if (!span) {
    setFieldOf(step, ref.field, '');
    return;
  }
  setFieldOf(step, ref.field, text.slice(0, span[0]) + String(value) + text.slice(span[1]));
}

/** A value that is not `value`: one more for numbers, the negation for booleans, a marked copy for text. */
export function other(value: unknown): unknown {
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return String(Number(value) + 1);
  return `${asText(value)}✗`;
}

/** The step's record, made (as a success) when the run lacks it. */
export function stepFor(steps: StepRecord[], label: string): StepRecord {
  const found = steps.find((step) => step.l === label);
  if (found) return found;
  const made: StepRecord = { l: label, p: 'main', r: 0 };
  steps.push(made);
  return made;
}
