// Flag sets a creation path cannot create (legacy clone() and CLONE_NEWTIME, spec D9/D14): one verdict per path and set.
import type { Verdict } from '../../harness/case.ts';
import { JUDGED_ONCE, type KnownVariant } from '../../harness/script/variants.ts';
import { PASS } from './claim.ts';
import type { MatrixObservation } from './observation.ts';
import { describeCall, expectsRefusal, passesFlag, type MatrixVariant } from './variant.ts';

export interface CreationVariant extends KnownVariant {
  readonly judge: (observation: MatrixObservation) => Verdict;
}

/** The flag set passes a kind the path cannot create. */
export function passesUncreatable(variant: MatrixVariant): boolean {
  return variant.path.cannotCreate.some((name) => passesFlag(variant, name));
}

export function refusedWith(errno: string): (observation: MatrixObservation) => Verdict {
  return (observation) => {
    const expected = `${describeCall(observation.variant)} to fail with ${errno}`;
    if (observation.kind === 'created')
      return { pass: false, expected, actual: `it created a child (pid ${observation.childPid})` };
    return observation.errno === errno
      ? PASS
      : { pass: false, expected, actual: `it failed with ${observation.errno}` };
  };
}

/** Linux 7.2.13 refuses legacy clone() with bit 0x80 before anything else, the EPERM of a caller without CLONE_NEWUSER included (spec D14). */
export const REFUSED_WITH_EINVAL: CreationVariant = {
  id: 'D14: refused with EINVAL',
  kernels: ['7.2.13'],
  judge: refusedWith('EINVAL'),
};

/** The claim that gives a group's one verdict on such a set: the refusal claim where the call is refused anyway, else the time claim. */
export function decidingClaim(variant: MatrixVariant): string {
  return expectsRefusal(variant) ? 'refusal' : 'time';
}

/**
 * The other claims of such a group skip once the call was refused: nothing was created for them to judge, and the
 * deciding claim has already said whether this refusal is a known variant.
 */
export function judgedOnce(variant: MatrixVariant, decider: string): (observation: MatrixObservation) => string | null {
  // One wording for every flag set, so reports and compare fold these skips into one reason.
  const uncreatable = variant.path.cannotCreate
    .filter((name) => passesFlag(variant, name))
    .map((name) => `CLONE_NEW${name.toUpperCase()}`)
    .join('|');
  return (observation) =>
    observation.kind === 'refused'
      ? `${variant.path.name}() with ${uncreatable} failed with ${observation.errno}: this path cannot create the flag set on this kernel (spec D14) — ${JUDGED_ONCE} "${decider}"`
      : null;
}
