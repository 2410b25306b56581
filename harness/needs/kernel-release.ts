// Claims whose behaviour changed across releases carry the release they need (the spec's "Kernel" field).
import { releaseAtLeast } from '../env/kernel-build.ts';
import type { NeedKind } from './answer.ts';

export interface KernelReleaseNeed {
  readonly kind: 'kernel-release';
  /** "major.minor" */
  readonly release: string;
  /** What changed in that release, in a phrase. */
  readonly what: string;
}

export const kernelRelease: NeedKind<KernelReleaseNeed> = {
  describe: (need) => `needs Linux ≥ ${need.release}: ${need.what}`,
  evaluate(need, env) {
    const newEnough = releaseAtLeast(env.host.kernelRelease, need.release);
    if (newEnough === null)
      return { met: 'unknown', reason: `${this.describe(need)}: the release ${env.host.kernelRelease} does not parse` };
    return newEnough
      ? { met: true }
      : {
          met: false,
          reason: `${this.describe(need)}: this kernel is ${env.host.kernelRelease} — run on Linux ≥ ${need.release}`,
        };
  },
};
