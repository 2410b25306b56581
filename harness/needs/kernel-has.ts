// The kernel has the kind: its /proc/self/ns entry exists.
import { getNamespace, type NamespaceName } from '../namespaces.ts';
import { missingKindRestriction } from '../env/restrictions.ts';
import { blockedBy, type NeedKind } from './answer.ts';

export interface KernelHasNeed {
  readonly kind: 'kernel-has';
  readonly ns: NamespaceName;
}

export const kernelHas: NeedKind<KernelHasNeed> = {
  describe(need) {
    const kind = getNamespace(need.ns);
    return `needs a kernel with ${need.ns} namespaces (${kind.kconfig ?? 'always built in'}, since ${kind.firstKernel})`;
  },
  evaluate(need, env) {
    return blockedBy(this.describe(need), missingKindRestriction(env, need.ns));
  },
};
