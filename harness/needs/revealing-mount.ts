// Mounting a new proc or sysfs from a user namespace: the kernel allows it only where the runner sees one whole.
import type { RevealingFs } from '../script/builder.ts';
import { revealingMountRestriction } from '../env/mount-restrictions.ts';
import { blockedBy, type NeedKind } from './answer.ts';

export interface RevealingMountNeed {
  readonly kind: 'revealing-mount';
  readonly fs: RevealingFs;
}

export const revealingMount: NeedKind<RevealingMountNeed> = {
  describe: (need) => `needs to mount ${need.fs} from a user namespace`,
  evaluate(need, env) {
    return blockedBy(this.describe(need), revealingMountRestriction(env, need.fs));
  },
};
