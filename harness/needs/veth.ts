// veth pairs, made with iproute2 in a network namespace of the probe's own.
import { fromProbe, type NeedKind } from './answer.ts';

export interface VethNeed {
  readonly kind: 'veth';
}

export const veth: NeedKind<VethNeed> = {
  describe: () => 'needs veth pairs',
  evaluate(need, env) {
    return fromProbe(this.describe(need), env.veth);
  },
};
