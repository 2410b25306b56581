// A system call a script makes must reach the kernel: not filtered by seccomp, not missing from an old kernel.
import { CANARIES, type CanaryName } from '../env/kernel-probes.ts';
import { syscallRestriction } from '../env/restriction-list.ts';
import { blockedBy, type NeedKind } from './answer.ts';

export interface SyscallNeed {
  readonly kind: 'syscall';
  readonly call: CanaryName;
}

const WHAT: Record<CanaryName, string> = {
  unshare: 'unshare(2)',
  setns: 'setns(2)',
  clone3: 'clone3(2) (since Linux 5.3)',
  cloneNamespaceFlags: 'clone(2) with namespace flags',
  reboot: 'reboot(2) in a PID namespace of its own',
};

export const syscall: NeedKind<SyscallNeed> = {
  describe: (need) => `needs ${WHAT[need.call]}`,
  evaluate(need, env) {
    if (!(need.call in CANARIES)) return { met: 'unknown', reason: `no canary for ${need.call}` };
    return blockedBy(this.describe(need), syscallRestriction(env, need.call));
  },
};
