// A script's record, looked up by step label; fields are read by dotted paths ("facts.nspid").
import type { ScriptRecord, StepRecord } from '../observer/record.ts';

export class ScriptRun {
  readonly #steps = new Map<string, StepRecord>();

  constructor(readonly record: Pick<ScriptRecord, 'steps'>) {
    for (const step of record.steps) if (!this.#steps.has(step.l)) this.#steps.set(step.l, step);
  }

  step(label: string): StepRecord | undefined {
    return this.#steps.get(label);
  }

  /** The first step the host guard refused, if any. */
  guarded(): StepRecord | undefined {
    return this.record.steps.find((step) => typeof step.guard === 'string');
  }
}

export function fieldOf(step: StepRecord, path: string): unknown {
  let value: unknown = step;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function setFieldOf(step: StepRecord, path: string, value: unknown): void {
  const parts = path.split('.');
  let target = step as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) {
    if (typeof target[part] !== 'object' || target[part] === null) target[part] = {};
    target = target[part] as Record<string, unknown>;
  }
  target[parts[parts.length - 1]!] = value;
}

/** How a step ended, for messages: "returned 3", "failed with EPERM", "refused by the host guard: ...". */
export function describeOutcome(step: StepRecord | undefined): string {
  if (!step) return 'it never ran (its process ended or was killed first)';
  if (typeof step.guard === 'string') return `the host guard refused it: ${step.guard}`;
  if (step.r < 0) return `it failed with ${step.e ?? 'an unknown error'}`;
  return `it returned ${step.r}`;
}
