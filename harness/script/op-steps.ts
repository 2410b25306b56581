// Typed step builders, one per op of the observer's table (ops.generated.ts): `s.op.NAME(label, ...args)`.
import type { Arg } from './encode.ts';
import { OPS, type OpArgs, type OpFields, type OpName } from './ops.generated.ts';

declare const OP: unique symbol;
/** A step's label, carrying which op made it, so a check can name only fields that op records. */
export type Step<O extends OpName = OpName> = string & { readonly [OP]: O };

/** Fields every step record has, and those of its op (dotted paths reach inside object fields). */
export type FieldName<O extends OpName> =
  'r' | 'e' | 'bad' | 'guard' | (keyof OpFields[O] & string) | `${keyof OpFields[O] & string}.${string}`;

export type OpSteps = { readonly [O in OpName]: (label: string, ...args: OpArgs[O]) => Step<O> };

/** Builders over `step`; an optional argument left out is left off the step line. */
export function opSteps(step: (label: string, op: OpName, ...args: Arg[]) => string): OpSteps {
  const builder =
    (op: OpName) =>
    (label: string, ...args: (Arg | undefined)[]) =>
      step(label, op, ...args.filter((arg) => arg !== undefined));
  return Object.fromEntries(Object.keys(OPS).map((op) => [op, builder(op as OpName)])) as unknown as OpSteps;
}
