// A capability the root mode uses in the runner's own user namespace (a user namespace a case makes has every capability).
import { capabilityRestriction, type CapabilityName } from '../env/capability.ts';
import { blockedBy, type NeedKind } from './answer.ts';

export interface CapabilityNeed {
  readonly kind: 'capability';
  readonly cap: CapabilityName;
  /** What the case does with it, for the skip reason. */
  readonly for: string;
}

export const capability: NeedKind<CapabilityNeed> = {
  describe: (need) => `needs CAP_${need.cap} in the runner's user namespace (${need.for})`,
  evaluate(need, env) {
    return blockedBy(this.describe(need), capabilityRestriction(env, need.cap));
  },
};
