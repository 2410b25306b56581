// A static BusyBox for the container scenario.
import { fromProbe, type NeedKind } from './answer.ts';

export interface BusyboxNeed {
  readonly kind: 'busybox';
}

export const busybox: NeedKind<BusyboxNeed> = {
  describe: () => "needs a static BusyBox (Debian's busybox-static package)",
  evaluate(need, env) {
    return fromProbe(this.describe(need), env.busybox);
  },
};
