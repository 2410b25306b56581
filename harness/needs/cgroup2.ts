// The cgroup2 hierarchy, mounted (and writable, for claims that make cgroups of their own in it).
import { cgroup2Restriction } from '../env/mount-restrictions.ts';
import { blockedBy, type NeedKind } from './answer.ts';

export interface Cgroup2Need {
  readonly kind: 'cgroup2';
  readonly writable: boolean;
}

export const cgroup2: NeedKind<Cgroup2Need> = {
  describe: (need) =>
    need.writable ? 'needs a writable cgroup2 hierarchy to make cgroups in' : 'needs the cgroup2 hierarchy mounted',
  evaluate(need, env) {
    return blockedBy(this.describe(need), cgroup2Restriction(env, need.writable));
  },
};
