// The claims of this part of the user suite, in report order.
import type { SpecClaim } from '../../harness/script/spec-claim.ts';

export const IDENTITY_AND_MAP_CLAIMS: readonly SpecClaim[] = [];
