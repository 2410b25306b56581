// The root mode: uid 0 holding CAP_SYS_ADMIN in the runner's own user namespace (a rootless container's root counts).
import { rootRestriction } from '../env/restrictions.ts';
import { blockedBy, type NeedKind } from './answer.ts';

export interface RootNeed {
  readonly kind: 'root';
}

export const root: NeedKind<RootNeed> = {
  describe: () => 'needs root (uid 0 with CAP_SYS_ADMIN in its user namespace)',
  evaluate(need, env) {
    return blockedBy(this.describe(need), rootRestriction(env));
  },
};
