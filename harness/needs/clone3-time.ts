// clone3(2) with CLONE_NEWTIME (since 5.8; spec CLONE-07): the release, the call and the kind.
import type { NeedKind } from './answer.ts';
import { kernelHas } from './kernel-has.ts';
import { kernelRelease } from './kernel-release.ts';
import { syscall } from './syscall.ts';

export interface Clone3TimeNeed {
  readonly kind: 'clone3-time';
}

export const clone3Time: NeedKind<Clone3TimeNeed> = {
  describe: () => 'needs clone3(2) to create time namespaces (since Linux 5.8)',
  evaluate(_need, env) {
    for (const answer of [
      kernelRelease.evaluate(
        { kind: 'kernel-release', release: '5.8', what: 'clone3(2) creates time namespaces' },
        env,
      ),
      syscall.evaluate({ kind: 'syscall', call: 'clone3' }, env),
      kernelHas.evaluate({ kind: 'kernel-has', ns: 'time' }, env),
    ]) {
      if (answer.met !== true) return answer;
    }
    return { met: true };
  },
};
