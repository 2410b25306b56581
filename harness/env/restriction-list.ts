// All restrictions this environment shows, once each: the head of `nsconform env` and of every report.
import { NAMESPACES } from '../namespaces.ts';
import { PRIVILEGE_MODES } from '../privilege-mode.ts';
import type { Environment } from './environment.ts';
import { CANARIES, type CanaryName } from './kernel-probes.ts';
import {
  creationRestriction,
  nestedUserNsRestriction,
  rootRestriction,
  seccompRestriction,
  type Restriction,
} from './restrictions.ts';
import { releaseAtLeast } from './kernel-build.ts';
import { capabilityRestriction } from './capability.ts';
import { cgroup2Restriction, nosuidScratchRestriction, revealingMountRestriction } from './mount-restrictions.ts';

/** clone3 missing on a kernel older than 5.3 is the release's doing, not a filter's. */
export function clone3Restriction(env: Environment): Restriction | null {
  if (releaseAtLeast(env.host.kernelRelease, '5.3') === false) {
    return {
      name: 'this kernel has no clone3(2)',
      evidence: `Linux ${env.host.kernelRelease} < 5.3`,
      lift: 'use Linux ≥ 5.3',
    };
  }
  return seccompRestriction(env, 'clone3');
}

export function syscallRestriction(env: Environment, canary: CanaryName): Restriction | null {
  return canary === 'clone3' ? clone3Restriction(env) : seccompRestriction(env, canary);
}

export function detectRestrictions(env: Environment): Restriction[] {
  const found = [
    rootRestriction(env),
    nestedUserNsRestriction(env),
    ...(Object.keys(CANARIES) as CanaryName[]).map((canary) => syscallRestriction(env, canary)),
    ...PRIVILEGE_MODES.flatMap((mode) => NAMESPACES.map((kind) => creationRestriction(env, kind.name, mode.name))),
    ...(['SYS_TIME', 'SYS_PTRACE', 'NET_ADMIN'] as const).map((cap) => capabilityRestriction(env, cap)),
    revealingMountRestriction(env, 'proc'),
    revealingMountRestriction(env, 'sysfs'),
    cgroup2Restriction(env, true),
    nosuidScratchRestriction(env),
  ].filter((restriction): restriction is Restriction => restriction !== null);
  const seen = new Set<string>();
  return found.filter((restriction) => !seen.has(restriction.name) && seen.add(restriction.name));
}
