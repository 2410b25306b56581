// The claims of this part of the user suite, in report order.
import type { SpecClaim } from '../../harness/script/spec-claim.ts';
import { CAPABILITY_CLAIMS } from './b-capabilities.ts';
import { FILE_CAPABILITY_CLAIMS } from './b-file-capabilities.ts';
import { FILE_CLAIMS } from './b-files.ts';
import { MOUNT_CLAIMS } from './b-mounts.ts';
import { NESTING_CLAIMS } from './b-nesting.ts';

export const CAPABILITY_AND_NESTING_CLAIMS: readonly SpecClaim[] = [...CAPABILITY_CLAIMS, ...MOUNT_CLAIMS, ...FILE_CLAIMS, ...FILE_CAPABILITY_CLAIMS, ...NESTING_CLAIMS];
