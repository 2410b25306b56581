// Every restriction a runner can meet, each detected from evidence independent of the call a case tests.
import { getNamespace, type NamespaceName } from '../namespaces.ts';
import type { PrivilegeModeName } from '../privilege-mode.ts';
import type { Environment } from './environment.ts';
import { CANARIES, canaryRefused, type CanaryName } from './kernel-probes.ts';
import { hasCapability } from './capability.ts';

export interface Restriction {
  /** What restricts, in a phrase: "user.max_user_namespaces is 0". */
  readonly name: string;
  /** What was read or seen that shows it. */
  readonly evidence: string;
  /** How a user lifts it. */
  readonly lift: string;
}

/** "<name> (<evidence>) — <lift>": what a skip reason ends with. */
export function explain(restriction: Restriction): string {
  return `${restriction.name} (${restriction.evidence}) — ${restriction.lift}`;
}

/** The root mode needs uid 0 holding CAP_SYS_ADMIN in the runner's own user namespace. */
export function rootRestriction(env: Environment): Restriction | null {
  const { euid, effectiveCaps } = env.host;
  if (euid !== 0)
    return {
      name: `the runner is uid ${euid}, not root`,
      evidence: 'geteuid()',
      lift: 'run as root (sudo) for the root mode',
    };
  if (!hasCapability(effectiveCaps, 'SYS_ADMIN')) {
    return {
      name: 'root without CAP_SYS_ADMIN',
      evidence: `CapEff ${effectiveCaps}`,
      lift: 'give the runner CAP_SYS_ADMIN (docker run --cap-add SYS_ADMIN, or --privileged)',
    };
  }
  return null;
}

/** Claims about "the initial namespace" hold only there (spec §2 note 4). */
export function nestedUserNsRestriction(env: Environment): Restriction | null {
  if (env.host.inInitialUserNs !== false) return null;
  return {
    name: 'the runner is in a nested user namespace (a rootless container)',
    evidence: `/proc/self/ns/user is not the initial user namespace; uid_map ${JSON.stringify(env.host.uidMap?.trim().replace(/\s+/g, ' ') ?? 'unreadable')}`,
    lift: 'run on the host or in a VM (nsconform vm)',
  };
}

export function missingKindRestriction(env: Environment, ns: NamespaceName): Restriction | null {
  if (env.built[ns].state !== 'no') return null;
  const kind = getNamespace(ns);
  const configured =
    kind.kconfig && env.kernelConfig
      ? `; ${env.kernelConfig.source}: ${kind.kconfig}=${env.kernelConfig.options.get(kind.kconfig) ?? 'absent'}`
      : '';
  const other = env.otherKernel ? `; this kernel is ${env.otherKernel}` : '';
  return {
    name: `this kernel has no ${ns} namespaces`,
    evidence: `${env.built[ns].detail}${configured}${other}`,
    lift: `use a kernel built with ${kind.kconfig ?? 'namespace support'}=y (Linux ≥ ${kind.firstKernel})`,
  };
}

/**
 * Below this many, a limit stops the suite as such, not one case: cases run side by side, each makes
 * several namespaces, and the kernel frees a user namespace's count only after an RCU grace period.
 */
export const LIMIT_THE_SUITE_NEEDS = 128;

/** user.max_<kind>_namespaces at 0, or too low to run the suite's cases side by side. */
export function limitRestriction(env: Environment, ns: NamespaceName): Restriction | null {
  const name = `user.max_${ns}_namespaces`;
  const text = env.host.sysctls[name];
  const value = text === null || text === undefined ? Number.NaN : Number(text);
  if (!(value < LIMIT_THE_SUITE_NEEDS)) return null;
  const evidence = `/proc/sys/user/max_${ns}_namespaces reads ${value}`;
  const lift = `raise it (sysctl -w ${name}=15000)`;
  if (value === 0) return { name: `${name} is 0`, evidence, lift };
  return {
    name: `${name} is ${value}, fewer than the ${LIMIT_THE_SUITE_NEEDS} ${ns} namespaces the suite's concurrent cases may hold at once`,
    evidence,
    lift,
  };
}

/** Restrictions on unprivileged user namespaces, whatever kinds come with them. */
export function unprivilegedUserNsRestriction(env: Environment): Restriction | null {
  const limit = limitRestriction(env, 'user');
  if (limit) return limit;
  if (env.host.sysctls['kernel.unprivileged_userns_clone'] === '0') {
    return {
      name: "Debian's kernel.unprivileged_userns_clone is 0",
      evidence: '/proc/sys/kernel/unprivileged_userns_clone reads 0',
      lift: 'allow them (sysctl -w kernel.unprivileged_userns_clone=1)',
    };
  }
  if (env.host.chrooted === true) {
    return {
      name: 'the runner is in a chroot, where unprivileged user namespaces are refused (user_namespaces(7))',
      evidence: env.host.chrootEvidence,
      lift: 'run outside the chroot',
    };
  }
  return apparmorRestriction(env);
}

/**
 * AppArmor's restriction lets creation succeed and withholds every capability inside, so it is named
 * only when the sysctl reads 1 and one privileged act in a fresh namespace was refused.
 */
export function apparmorRestriction(env: Environment): Restriction | null {
  if (env.host.sysctls['kernel.apparmor_restrict_unprivileged_userns'] !== '1' || env.privilegedAct.state !== 'no')
    return null;
  return {
    name: 'AppArmor restricts unprivileged user namespaces: they are created, but hold no capabilities',
    evidence: `kernel.apparmor_restrict_unprivileged_userns is 1; the runner's AppArmor label is ${env.host.apparmorLabel ?? 'unknown'}; ${env.privilegedAct.detail}`,
    lift: 'allow them (sysctl -w kernel.apparmor_restrict_unprivileged_userns=0), or run under an AppArmor profile with the userns permission',
  };
}

export function seccompRestriction(env: Environment, canary: CanaryName): Restriction | null {
  const answer = env.canaries[canary];
  if (!canaryRefused(answer, canary) || (env.host.seccomp.mode ?? 0) === 0) return null;
  const { mode, filters } = env.host.seccomp;
  const call = {
    unshare: 'unshare',
    setns: 'setns',
    clone3: 'clone3',
    cloneNamespaceFlags: 'clone with namespace flags',
    reboot: 'reboot',
  }[canary];
  // Docker's default profile allows reboot only to a container given CAP_SYS_BOOT.
  const allow = canary === 'reboot' ? 'allow reboot (Docker: --cap-add SYS_BOOT)' : `allow ${call}`;
  return {
    name: `${call} is refused by a seccomp filter`,
    evidence: `Seccomp: ${mode}${filters === null ? '' : `, ${filters} filter${filters === 1 ? '' : 's'}`}; ${answer.detail} where the kernel gives ${CANARIES[canary].expect === 'ok' ? '0' : CANARIES[canary].expect}`,
    lift: `run outside the container's seccomp profile (docker run --security-opt seccomp=unconfined) or ${allow}`,
  };
}

/**
 * The unprivileged mode's creator: where only 0 is mapped it is made in a nested user namespace,
 * which an unprivileged-user-namespace restriction forbids as well.
 */
export function unprivilegedIdsRestriction(env: Environment): Restriction | null {
  if (!env.unprivilegedDrop?.nested) return null;
  const blocker =
    limitRestriction(env, 'user') ??
    (env.host.sysctls['kernel.unprivileged_userns_clone'] === '0' ? unprivilegedUserNsRestriction(env) : null) ??
    seccompRestriction(env, 'unshare');
  if (!blocker) return null;
  return {
    name: `the unprivileged mode has no non-zero id: this user namespace maps only 0, and the nested one to make it in cannot be created: ${blocker.name}`,
    evidence: `uid_map ${JSON.stringify(env.host.uidMap?.trim().replace(/\s+/g, ' ') ?? '')}; ${blocker.evidence}`,
    lift: `map more ids into the container (newuidmap, podman --userns=auto) or ${blocker.lift}`,
  };
}

/** Why a kind cannot be created in a mode, or null when nothing known stands in the way. */
export function creationRestriction(env: Environment, ns: NamespaceName, mode: PrivilegeModeName): Restriction | null {
  const kinds: NamespaceName[] = mode === 'unprivileged' && ns !== 'user' ? ['user', ns] : [ns];
  for (const kind of kinds) {
    const found = missingKindRestriction(env, kind) ?? limitRestriction(env, kind);
    if (found) return found;
  }
  if (mode === 'root') return rootRestriction(env);
  return unprivilegedIdsRestriction(env) ?? unprivilegedUserNsRestriction(env);
}

export interface Availability {
  readonly kind: NamespaceName;
  readonly mode: PrivilegeModeName;
  readonly restriction: Restriction | null;
}

/**
 * A root runner contains every case in PID, mount, UTS and IPC namespaces of its own (native/PROTOCOL.md
 * "Containment"); where a named restriction forbids making them, cases run with the host guard alone.
 */
export function containmentRestriction(env: Environment): Restriction | null {
  if (env.host.euid !== 0) return null;
  const zeroLimit = (['pid', 'mnt', 'uts', 'ipc'] as const).find(
    (ns) => env.host.sysctls[`user.max_${ns}_namespaces`] === '0',
  );
  return (
    rootRestriction(env) ??
    seccompRestriction(env, 'cloneNamespaceFlags') ??
    seccompRestriction(env, 'unshare') ??
    (zeroLimit ? limitRestriction(env, zeroLimit) : null)
  );
}
