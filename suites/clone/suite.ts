// suites/clone: clone(2)/clone3(2): per-flag semantics, flag-combination rules and their errors.
// Its claims are what the files beside this one export (suites/registry.ts finds them), in file-name order.
import type { Need } from '../../harness/needs/index.ts';
import type { SpecClaim } from '../../harness/script/spec-claim.ts';

/** One line for `nsconform list` and the reports. */
export const description = 'clone(2)/clone3(2): per-flag semantics, flag-combination rules and their errors';

/** Ops of native/src/script_clone_ops.c whose children are register-only x86-64 code. */
const X86_ONLY_OPS: readonly string[] = ['bareclone', 'bareclone3', 'settid', 'settiddeep'];
const X86_64: Need = { kind: 'machine', machine: 'x86_64' };

/** A claim that uses those ops needs an x86-64 machine; elsewhere it is a skip with that reason, not a failure. */
export function adjust(claim: SpecClaim): SpecClaim {
  const probe = { mode: 'root', uid: 0, gid: 0 } as const;
  // Clone scripts never read the environment, so building one here needs none.
  const { ops } = claim.script(probe, undefined as never);
  const usesX86Ops = X86_ONLY_OPS.some((op) => ops.has(op));
  return usesX86Ops ? { ...claim, needs: [...(claim.needs ?? []), X86_64] } : claim;
}
