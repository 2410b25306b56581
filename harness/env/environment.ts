// The environment, read once per run: host facts, the kernel's build, probes through the observer.
import { closeSync, openSync } from 'node:fs';
import { NAMESPACES, getNamespace, type NamespaceKind, type NamespaceName } from '../namespaces.ts';
import type { PrivilegeModeName } from '../privilege-mode.ts';
import type { ObserverPool } from '../observer/pool.ts';
import type { DropIds } from '../observer/request.ts';
import { getNamespaceType } from '../nsfs/ioctl.ts';
import { readHostFacts, type HostFacts } from './host-facts.ts';
import { readKernelConfig, recogniseOtherKernel, type KernelConfig } from './kernel-build.ts';
import {
  probeCanaries,
  probeCreatable,
  probeCreation,
  probePrivilegedAct,
  type CallAnswer,
  type CanaryName,
} from './kernel-probes.ts';
import { chooseDrop } from './unprivileged-ids.ts';
import { probeBusybox } from './busybox.ts';
import { probeVeth } from './veth.ts';
import { no, yes, type Probe } from './probe.ts';
import { hasCapability } from './capability.ts';
import { probeCaseCgroup } from '../run/run-cgroup.ts';

export interface Environment {
  host: HostFacts;
  /** /proc/config.gz or /boot/config-<release>, when the kernel publishes one. */
  kernelConfig: KernelConfig | null;
  /** Set when the kernel is not Linux but implements its ABI (gVisor, WSL 1). */
  otherKernel: string | null;
  /** Ids the creator drops to in the unprivileged mode, or null when the runner already is unprivileged. */
  unprivilegedDrop: DropIds | null;
  /** How those ids were chosen. */
  unprivilegedIds: string;
  userNamespaceDepth: Probe;
  /** The kernel has the kind: its /proc/self/ns entry is there. */
  built: Record<NamespaceName, Probe>;
  /** The real creation call, tried: information and evidence for `nsconform env`, never alone a reason to skip. */
  creatable: Record<PrivilegeModeName, Record<NamespaceName, Probe>>;
  clone3: Probe;
  clone3Time: Probe;
  /** Calls that create nothing, whose kernel answer is known: a different answer shows a filter. */
  canaries: Record<CanaryName, CallAnswer>;
  /** sethostname inside a fresh USER|UTS namespace made by the unprivileged mode's creator. */
  privilegedAct: Probe;
  /** The runner is in the initial user namespace (spec §2 note 4). */
  initialUserNs: Probe;
  /** A static BusyBox for the container scenario; detail is its path when found. */
  busybox: Probe;
  /** veth pairs can be created in a network namespace the probe made. */
  veth: Probe;
  /** Each case runs in a cgroup of its own (the run's cgroup could be made): where claims make their cgroups. */
  caseCgroup: Probe;
}

/** The /proc/self/ns entry is the evidence; NS_GET_NSTYPE (since 4.11) only adds to it, so ENOTTY is no error. */
function probeBuilt(kind: NamespaceKind): Probe {
  const path = `/proc/self/ns/${kind.procEntry}`;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' ? no(`${path} is missing`) : yes(`${path} exists (open gave ${code})`);
  }
  try {
    const type = getNamespaceType(fd);
    if (!type.ok) return yes(`${path} present (NS_GET_NSTYPE gives ${type.errno})`);
    if (type.value !== kind.flag)
      return yes(`${path} present; NS_GET_NSTYPE gives 0x${type.value.toString(16)}, not ${kind.flagName}`);
    return yes(`${path} present, NS_GET_NSTYPE gives ${kind.flagName}`);
  } finally {
    closeSync(fd);
  }
}

function mapKinds<T>(fn: (kind: NamespaceKind) => T): Record<NamespaceName, T> {
  return Object.fromEntries(NAMESPACES.map((kind) => [kind.name, fn(kind)])) as Record<NamespaceName, T>;
}

/** 0 in the initial user namespace; otherwise only "at least 1": the levels above cannot be read from inside (spec note 3). */
function probeUserNamespaceDepth(host: HostFacts): Probe {
  return host.inInitialUserNs === false
    ? yes('at least 1 (a nested user namespace; the levels above are not visible from inside)')
    : yes('0 (the initial user namespace)');
}

function probeInitialUserNs(host: HostFacts): Probe {
  const map = JSON.stringify(host.uidMap?.trim() ?? 'nothing');
  if (host.inInitialUserNs === false)
    return no(`/proc/self/ns/user is not the initial user namespace (uid_map reads ${map})`);
  return yes(`the initial user namespace (uid_map reads ${map})`);
}

export interface ProbeOptions {
  /** Look for (and if need be download) a static BusyBox: only when a selected case needs one, so other runs never touch the network. */
  readonly busybox?: boolean;
}

export async function probeEnvironment(pool: ObserverPool, options: ProbeOptions = {}): Promise<Environment> {
  const host = readHostFacts();
  const drop = chooseDrop(host.euid, host.uidMap, host.gidMap, host.overflowuid);
  const asRoot = host.euid === 0;
  const time = getNamespace('time');
  const user = getNamespace('user');
  const creatorOfOwn = asRoot ? null : drop.drop;
  const kernelConfig = readKernelConfig(host.kernelRelease);
  const [root, unprivileged, clone3, clone3Time, canaries, privilegedAct, veth] = await Promise.all([
    probeCreatable(pool, 'root', asRoot, drop.drop),
    probeCreatable(pool, 'unprivileged', asRoot, drop.drop),
    probeCreation(pool, 'clone3', [], null),
    probeCreation(pool, 'clone3', asRoot ? [time] : [user, time], creatorOfOwn),
    probeCanaries(pool),
    probePrivilegedAct(pool, drop.drop),
    // Root without CAP_NET_ADMIN (a container's default set) tries it as root of a user namespace, as the cases do.
    probeVeth(
      pool,
      asRoot && host.inInitialUserNs !== false && hasCapability(host.effectiveCaps, 'NET_ADMIN'),
      { uid: host.euid, gid: process.getgid?.() ?? host.euid },
      kernelConfig,
    ),
  ]);
  return {
    host,
    kernelConfig,
    otherKernel: recogniseOtherKernel(host),
    unprivilegedDrop: drop.drop,
    unprivilegedIds: drop.detail,
    userNamespaceDepth: probeUserNamespaceDepth(host),
    built: mapKinds(probeBuilt),
    creatable: { root, unprivileged },
    clone3,
    clone3Time,
    canaries,
    privilegedAct,
    busybox: options.busybox === false ? no('not looked for: no selected case needs it') : probeBusybox(),
    veth,
    initialUserNs: probeInitialUserNs(host),
    caseCgroup: probeCaseCgroup(),
  };
}

export { describeEnvironment } from './describe.ts';
