// Claims about "the initial namespace" hold only in it (spec §2 note 4).
import { nestedUserNsRestriction } from '../env/restrictions.ts';
import { blockedBy, type NeedKind } from './answer.ts';

export interface InitialUserNsNeed {
  readonly kind: 'initial-user-ns';
}

export const initialUserNs: NeedKind<InitialUserNsNeed> = {
  describe: () => 'needs to run in the initial user namespace',
  evaluate(need, env) {
    return blockedBy(this.describe(need), nestedUserNsRestriction(env));
  },
};
