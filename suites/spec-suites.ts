// The suites made of spec claims (everything but the matrix), in report order.
import type { HarnessClaim } from '../harness/script/harness-claim.ts';
import type { SpecClaim } from '../harness/script/spec-claim.ts';
import { cgroupSuite } from './cgroup/index.ts';
import { cloneSuite } from './clone/index.ts';
import { ipcSuite } from './ipc/index.ts';
import { lifetimeSuite } from './lifetime/index.ts';
import { mntSuite } from './mnt/index.ts';
import { netSuite } from './net/index.ts';
import { nsfsSuite } from './nsfs/index.ts';
import { pidSuite } from './pid/index.ts';
import { setnsSuite } from './setns/index.ts';
import { timeSuite } from './time/index.ts';
import { userSuite } from './user/index.ts';
import { scenariosSuite } from './scenarios/index.ts';
import { utsSuite } from './uts/index.ts';

export interface SpecSuite {
  readonly name: string;
  readonly claims: readonly SpecClaim[];
  readonly harnessClaims: readonly HarnessClaim[];
}

export const SPEC_SUITES = [nsfsSuite, cloneSuite, setnsSuite, userSuite, pidSuite, mntSuite, utsSuite, ipcSuite, netSuite, cgroupSuite, timeSuite, lifetimeSuite, scenariosSuite] as const satisfies readonly SpecSuite[];
