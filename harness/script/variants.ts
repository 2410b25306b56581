// Known variants: where the documentation is silent or a kernel departs from it (spec §3), the behaviours seen, each with its kernels.
import type { Verdict } from '../case.ts';

export interface KnownVariant {
  /** Short and stable: the report records it and compare shows it changing from one kernel to the next. */
  readonly id: string;
  /** The kernels seen showing it, as `uname -r` names them (a qualifier such as "unprivileged" may follow). */
  readonly kernels: readonly string[];
}

/** How a JUnit case's system-out names the variant a pass showed; compare reads it back. */
export const VARIANT_PREFIX = 'variant: ';

/**
 * Ends the skip reason of a case whose flag set its path cannot create on this kernel (suites/matrix/uncreatable.ts):
 * the one deciding case of that set names the kernel's answer; compare counts these skips apart as its consequences.
 */
export const JUDGED_ONCE = "judged once, by this flag set's case";

export function describeVariant(variant: KnownVariant): string {
  return `«${variant.id}» (seen on ${variant.kernels.join(', ')})`;
}

/**
 * The first variant whose judge holds decides: a pass that records it. None holding fails, naming every known
 * variant with what it expected and what this kernel showed instead. A variant that could not be judged (the
 * observer made a step up) is an error only when no other variant holds.
 */
export function judgeVariants<V extends KnownVariant>(variants: readonly V[], judge: (variant: V) => Verdict): Verdict {
  if (variants.length === 0)
    return { pass: false, expected: 'at least one known variant', actual: 'the claim lists none' };
  const judged = variants.map((variant) => ({ variant, verdict: judge(variant) }));
  const held = judged.find(({ verdict }) => verdict.pass);
  if (held) return { pass: true, variant: held.variant.id };
  const broken = judged.find(({ verdict }) => !verdict.pass && verdict.error !== undefined);
  if (broken) return broken.verdict;
  const expected: string[] = [];
  const actual = new Set<string>();
  for (const { variant, verdict } of judged) {
    if (verdict.pass || verdict.error !== undefined) continue;
    expected.push(`${describeVariant(variant)}: ${verdict.expected}`);
    actual.add(verdict.actual);
  }
  return {
    pass: false,
    expected: `one of the known variants — ${expected.join('; or ')}`,
    actual: `a variant never seen before: ${[...actual].join('; ')}`,
  };
}
