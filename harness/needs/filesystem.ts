// A filesystem the kernel can mount (/proc/filesystems, or a module it loads on mount).
import { probeFilesystem } from '../env/filesystems.ts';
import { fromProbe, type NeedKind } from './answer.ts';

export interface FilesystemNeed {
  readonly kind: 'filesystem';
  readonly name: string;
}

export const filesystem: NeedKind<FilesystemNeed> = {
  describe: (need) => `needs the ${need.name} filesystem`,
  evaluate(need) {
    return fromProbe(this.describe(need), probeFilesystem(need.name));
  },
};
