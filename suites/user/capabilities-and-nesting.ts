// The claims of this part of the user suite, in report order.
import type { SpecClaim } from '../../harness/script/spec-claim.ts';

export const CAPABILITY_AND_NESTING_CLAIMS: readonly SpecClaim[] = [];
