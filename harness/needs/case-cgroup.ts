// A cgroup of the case's own (below the run's cgroup), for claims that make cgroups: they go below it, {cgroup}.
import { fromProbe, type NeedKind } from './answer.ts';

export interface CaseCgroupNeed {
  readonly kind: 'case-cgroup';
}

/** What gives a run its cgroup: root, and a cgroup v2 hierarchy it may write below its own cgroup. */
const LIFT =
  'run as root where cgroup v2 is mounted read-write (on the host or a VM; docker run --privileged, or -v /sys/fs/cgroup:/sys/fs/cgroup:rw on a cgroup v2 host)';

export const caseCgroup: NeedKind<CaseCgroupNeed> = {
  describe: () => "needs a cgroup of the case's own (below the run's cgroup) to make cgroups in",
  evaluate(need, env) {
    const answer = fromProbe(this.describe(need), env.caseCgroup);
    // A "no" names what stands in the way (the probe's detail) and, like every restriction, how to lift it.
    return answer.met === false ? { met: false, reason: `${answer.reason} — ${LIFT}` } : answer;
  },
};
