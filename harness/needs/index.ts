// The need registry: a case lists needs as data; each kind's module says what it asks and how it is answered.
import type { Environment } from '../env/environment.ts';
import type { NeedAnswer, NeedKind } from './answer.ts';
import { busybox, type BusyboxNeed } from './busybox.ts';
import { canCreate, type CanCreateNeed } from './can-create.ts';
import { capability, type CapabilityNeed } from './capability.ts';
import { caseCgroup, type CaseCgroupNeed } from './case-cgroup.ts';
import { cgroup2, type Cgroup2Need } from './cgroup2.ts';
import { revealingMount, type RevealingMountNeed } from './revealing-mount.ts';
import { clone3Time, type Clone3TimeNeed } from './clone3-time.ts';
import { filesystem, type FilesystemNeed } from './filesystem.ts';
import { initialUserNs, type InitialUserNsNeed } from './initial-user-ns.ts';
import { kernelHas, type KernelHasNeed } from './kernel-has.ts';
import { kernelRelease, type KernelReleaseNeed } from './kernel-release.ts';
import { machine, type MachineNeed } from './machine.ts';
import { mappedIds, type MappedIdsNeed } from './mapped-ids.ts';
import { pidDepthKnown, type PidDepthKnownNeed } from './pid-depth-known.ts';
import { root, type RootNeed } from './root.ts';
import { setgroupsAllowed, type SetgroupsAllowedNeed } from './setgroups-allowed.ts';
import { rootBlockDevice, type RootBlockDeviceNeed } from './root-block-device.ts';
import { suidExec, type SuidExecNeed } from './suid-exec.ts';
import { syscall, type SyscallNeed } from './syscall.ts';
import { tool, type ToolNeed } from './tool.ts';
import { unprivilegedIds, type UnprivilegedIdsNeed } from './unprivileged-ids.ts';
import { veth, type VethNeed } from './veth.ts';

export type { NeedAnswer } from './answer.ts';

export type Need =
  | RootNeed
  | InitialUserNsNeed
  | KernelHasNeed
  | CanCreateNeed
  | SyscallNeed
  | KernelReleaseNeed
  | Clone3TimeNeed
  | UnprivilegedIdsNeed
  | MappedIdsNeed
  | SetgroupsAllowedNeed
  | PidDepthKnownNeed
  | ToolNeed
  | BusyboxNeed
  | VethNeed
  | MachineNeed
  | FilesystemNeed
  | RootBlockDeviceNeed
  | CapabilityNeed
  | RevealingMountNeed
  | Cgroup2Need
  | CaseCgroupNeed
  | SuidExecNeed;

type Registry = { [K in Need['kind']]: NeedKind<Extract<Need, { kind: K }>> };

const NEED_KINDS: Registry = {
  root,
  'initial-user-ns': initialUserNs,
  'kernel-has': kernelHas,
  'can-create': canCreate,
  syscall,
  'kernel-release': kernelRelease,
  'clone3-time': clone3Time,
  'unprivileged-ids': unprivilegedIds,
  'mapped-ids': mappedIds,
  'setgroups-allowed': setgroupsAllowed,
  'pid-depth-known': pidDepthKnown,
  tool,
  busybox,
  veth,
  machine,
  filesystem,
  'root-block-device': rootBlockDevice,
  capability,
  'revealing-mount': revealingMount,
  cgroup2,
  'case-cgroup': caseCgroup,
  'suid-exec': suidExec,
};

function kindOf<N extends Need>(need: N): NeedKind<N> {
  return NEED_KINDS[need.kind] as unknown as NeedKind<N>;
}

/** A plain sentence for what the need asks, used in skip messages and in `nsconform list`. */
export function describeNeed(need: Need): string {
  return kindOf(need).describe(need);
}

export function evaluateNeed(need: Need, env: Environment): NeedAnswer {
  return kindOf(need).evaluate(need, env);
}

/**
 * The first unmet need decides (a skip naming what stands in the way); only when none is unmet does
 * one that could not be told make the case an error: a named restriction outranks a probe that broke.
 */
export function evaluateNeeds(needs: readonly Need[], env: Environment): NeedAnswer {
  let undecided: NeedAnswer | null = null;
  for (const need of needs) {
    const answer = evaluateNeed(need, env);
    if (answer.met === false) return answer;
    if (answer.met === 'unknown') undecided ??= answer;
  }
  return undecided ?? { met: true };
}

/** Needs once each, in first-seen order. */
export function uniqueNeeds(needs: readonly Need[]): Need[] {
  const seen = new Set<string>();
  return needs.filter((need) => {
    const key = JSON.stringify(need);
    return !seen.has(key) && seen.add(key);
  });
}
