// Creating a kind in a mode: skipped only for a named restriction, never because a try of the call failed.
import { getNamespace, type NamespaceName } from '../namespaces.ts';
import type { PrivilegeModeName } from '../privilege-mode.ts';
import { creationRestriction } from '../env/restrictions.ts';
import { blockedBy, type NeedKind } from './answer.ts';

export interface CanCreateNeed {
  readonly kind: 'can-create';
  readonly ns: NamespaceName;
  readonly mode: PrivilegeModeName;
}

export const canCreate: NeedKind<CanCreateNeed> = {
  describe(need) {
    const kind = getNamespace(need.ns);
    return need.mode === 'root'
      ? `needs to create ${need.ns} namespaces as root (${kind.flagName})`
      : `needs to create ${need.ns} namespaces unprivileged (${need.ns === 'user' ? 'unprivileged user namespaces' : `CLONE_NEWUSER|${kind.flagName}`})`;
  },
  evaluate(need, env) {
    return blockedBy(this.describe(need), creationRestriction(env, need.ns, need.mode));
  },
};
