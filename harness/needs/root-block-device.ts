// A root filesystem on a block device (a 9p or overlay root has none).
import { probeRootBlockDevice } from '../env/filesystems.ts';
import { fromProbe, type NeedKind } from './answer.ts';

export interface RootBlockDeviceNeed {
  readonly kind: 'root-block-device';
}

export const rootBlockDevice: NeedKind<RootBlockDeviceNeed> = {
  describe: () => 'needs a root filesystem on a block device',
  evaluate(need) {
    return fromProbe(this.describe(need), probeRootBlockDevice());
  },
};
