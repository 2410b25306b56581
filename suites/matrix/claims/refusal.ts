// Unprivileged creation without CLONE_NEWUSER — clone(2) and unshare(2) ERRORS, EPERM.
import { judgeVariants } from '../../../harness/script/variants.ts';
import type { MatrixClaim } from '../claim.ts';
import { passesUncreatable, REFUSED_WITH_EINVAL, refusedWith, type CreationVariant } from '../uncreatable.ts';
import { expectsRefusal } from '../variant.ts';

/** With a kind the path cannot create in the set, a kernel may refuse that first (spec D14). */
export const UNCREATABLE_REFUSAL_VARIANTS: readonly CreationVariant[] = [
  { id: 'EPERM', kernels: ['6.1', '6.18'], judge: refusedWith('EPERM') },
  REFUSED_WITH_EINVAL,
];

export const refusalClaim: MatrixClaim = {
  key: 'refusal',
  appliesTo: expectsRefusal,
  sentence: () => 'creation without CLONE_NEWUSER is refused with EPERM',
  specIds: () => ['CLONE-02'],
  manPage: () => 'clone(2) ERRORS (EPERM); unshare(2) ERRORS (EPERM)',
  judge: (observation) =>
    passesUncreatable(observation.variant)
      ? judgeVariants(UNCREATABLE_REFUSAL_VARIANTS, (known) => known.judge(observation))
      : refusedWith('EPERM')(observation),
};
