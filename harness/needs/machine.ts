// Ops whose children run without a stack are written in this architecture's assembly.
import type { NeedKind } from './answer.ts';

export interface MachineNeed {
  readonly kind: 'machine';
  readonly machine: string;
}

export const machine: NeedKind<MachineNeed> = {
  describe: (need) => `needs a ${need.machine} machine (its child runs register-only code without a stack)`,
  evaluate(need, env) {
    return env.host.machine === need.machine
      ? { met: true }
      : { met: false, reason: `${this.describe(need)}: this machine is ${env.host.machine}` };
  },
};
