// execve honouring set-user-ID bits and file capabilities on the programs a case copies into its scratch dir.
import { nosuidScratchRestriction } from '../env/mount-restrictions.ts';
import { blockedBy, type NeedKind } from './answer.ts';

export interface SuidExecNeed {
  readonly kind: 'suid-exec';
}

export const suidExec: NeedKind<SuidExecNeed> = {
  describe: () => 'needs execve to honour set-user-ID bits and file capabilities in the scratch dir',
  evaluate(need, env) {
    return blockedBy(this.describe(need), nosuidScratchRestriction(env));
  },
};
