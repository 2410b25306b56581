// The unprivileged mode needs a non-zero id to run as: mapped here, or in a nested user namespace it can make.
import { unprivilegedIdsRestriction } from '../env/restrictions.ts';
import { blockedBy, type NeedKind } from './answer.ts';

export interface UnprivilegedIdsNeed {
  readonly kind: 'unprivileged-ids';
  /** The claim tells the creator's ids from root's files: a nested drop maps the runner's root onto the creator. */
  readonly distinctFromRoot?: boolean;
}

export const unprivilegedIds: NeedKind<UnprivilegedIdsNeed> = {
  describe: () => 'needs a non-zero uid without capabilities to run the unprivileged mode as',
  evaluate(need, env) {
    const restriction = unprivilegedIdsRestriction(env);
    if (restriction || !need.distinctFromRoot || !env.unprivilegedDrop?.nested)
      return blockedBy(this.describe(need), restriction);
    return {
      met: false,
      reason: `${this.describe(need)} other than the owner of root's files: this user namespace maps only 0, so the unprivileged mode runs as uid ${env.unprivilegedDrop.uid} of a nested user namespace that maps it onto the runner, and files of uid 0 are its own (uid_map ${JSON.stringify(env.host.uidMap?.trim().replace(/\s+/g, ' ') ?? '')}) — map more ids into the container (newuidmap, podman --userns=auto)`,
    };
  },
};
