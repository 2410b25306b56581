// setgroups(2) allowed in the runner's user namespace: a namespace made with setgroups "deny" passes it on to every descendant.
import type { NeedKind } from './answer.ts';

export interface SetgroupsAllowedNeed {
  readonly kind: 'setgroups-allowed';
}

export const setgroupsAllowed: NeedKind<SetgroupsAllowedNeed> = {
  describe: () => 'needs setgroups(2) allowed in the user namespace it runs in',
  evaluate(need, env) {
    if (env.unprivilegedDrop?.nested && env.host.setgroups !== 'deny') {
      return {
        met: false,
        reason: `${this.describe(need)}: the unprivileged mode runs in a nested user namespace whose gid_map needed setgroups "deny" (this user namespace maps only 0) — map more ids into the container (newuidmap, podman --userns=auto)`,
      };
    }
    if (env.host.setgroups !== 'deny') return { met: true };
    return {
      met: false,
      reason: `${this.describe(need)}: /proc/self/setgroups reads "deny" (set when the runner's user namespace was made, e.g. unshare --map-root-user), and every namespace below inherits it — run where setgroups is allowed (the host, or a container whose gid_map was written by newgidmap)`,
    };
  },
};
