// A cgroup of the case's own (below the run's cgroup), for claims that make cgroups: they go below it, {cgroup}.
import { fromProbe, type NeedKind } from './answer.ts';

export interface CaseCgroupNeed {
  readonly kind: 'case-cgroup';
}

export const caseCgroup: NeedKind<CaseCgroupNeed> = {
  describe: () => "needs a cgroup of the case's own (below the run's cgroup) to make cgroups in",
  evaluate(need, env) {
    return fromProbe(this.describe(need), env.caseCgroup);
  },
};
