// Every matrix claim, in the order they are reported.
import type { MatrixClaim } from '../claim.ts';
import { cgroupClaim } from './cgroup.ts';
import { identityClaim } from './identity.ts';
import { ipcClaim } from './ipc.ts';
import { mntClaim } from './mnt.ts';
import { netClaim } from './net.ts';
import { pidClaim } from './pid.ts';
import { refusalClaim } from './refusal.ts';
import { timeClaim } from './time.ts';
import { userClaim } from './user.ts';
import { utsClaim } from './uts.ts';

export const MATRIX_CLAIMS: readonly MatrixClaim[] = [refusalClaim, identityClaim, pidClaim, userClaim, netClaim, utsClaim, ipcClaim, cgroupClaim, timeClaim, mntClaim];
