// Claims that count PID-namespace levels need the runner's own depth: NSpid counts only from the namespace /proc belongs to.
import type { NeedKind } from './answer.ts';

export interface PidDepthKnownNeed {
  readonly kind: 'pid-depth-known';
}

export const pidDepthKnown: NeedKind<PidDepthKnownNeed> = {
  describe: () => "needs the runner's PID-namespace depth",
  evaluate(need, env) {
    const depth = env.host.pidNamespaceDepth;
    if (depth.exact) return { met: true };
    return {
      met: false,
      reason: `${this.describe(need)}: the runner is in a nested PID namespace (/proc/self/ns/pid is not the initial one), at least ${depth.value} deep; NSpid shows only the levels below the namespace /proc was mounted from, so the levels above cannot be counted — run in the initial PID namespace (the host, or a container sharing the host's PID namespace)`,
    };
  },
};
