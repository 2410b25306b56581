// Capabilities the root mode uses in the runner's own user namespace: read from CapEff, never inferred from a refusal.
import type { Environment } from './environment.ts';
import type { Restriction } from './restrictions.ts';

/** Capability numbers (capability(7)) of the ones a root-mode case may use outside every user namespace it makes. */
export const CAPABILITY_BITS = { SYS_ADMIN: 21, NET_ADMIN: 12, SYS_PTRACE: 19, SYS_TIME: 25 } as const;
export type CapabilityName = keyof typeof CAPABILITY_BITS;

export function hasCapability(hex: string, cap: CapabilityName): boolean {
  return /^[0-9a-f]+$/i.test(hex) && ((BigInt(`0x${hex}`) >> BigInt(CAPABILITY_BITS[cap])) & 1n) === 1n;
}

/** Root whose effective set lacks the capability (Docker's default set has none of these four). */
export function capabilityRestriction(env: Environment, cap: CapabilityName): Restriction | null {
  const { euid, effectiveCaps } = env.host;
  if (euid !== 0 || hasCapability(effectiveCaps, cap)) return null;
  return {
    name: `root without CAP_${cap}`,
    evidence: `CapEff ${effectiveCaps} (bit ${CAPABILITY_BITS[cap]} clear)`,
    lift: `give the runner CAP_${cap} (docker run --cap-add ${cap}, or --privileged)`,
  };
}
