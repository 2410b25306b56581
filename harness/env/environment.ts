// The environment probes, run once per run: what this kernel and this runner can do.
import { closeSync, openSync } from 'node:fs';
import { NAMESPACES, getNamespace, type NamespaceKind, type NamespaceName } from '../namespaces.ts';
import { PRIVILEGE_MODES, UNPRIVILEGED_ID, type PrivilegeModeName } from '../privilege-mode.ts';
import type { CreationPathName } from '../creation-path.ts';
import type { ObserverPool } from '../observer/pool.ts';
import type { RunRecord } from '../observer/record.ts';
import { getNamespaceType } from '../nsfs/ioctl.ts';
import { fullCapabilityMask, isInitialUserNamespaceMap, readHostFacts, type HostFacts } from './host-facts.ts';
import { probeBusybox } from './busybox.ts';
import { probeVeth } from './veth.ts';
import { no, unknown, yes, type Probe } from './probe.ts';

export interface Environment {
  host: HostFacts;
  /** uid 0 with CAP_SYS_ADMIN in the initial user namespace. */
  realRoot: Probe;
  /** Ids the creator drops to in the unprivileged mode, or null when the runner already is unprivileged. */
  unprivilegedDrop: { uid: number; gid: number } | null;
  userNamespaceDepth: Probe;
  /** The kernel has the kind: /proc/self/ns entry present and NS_GET_NSTYPE names its flag. */
  built: Record<NamespaceName, Probe>;
  /** The kind can be created in the mode (unprivileged: together with CLONE_NEWUSER). */
  creatable: Record<PrivilegeModeName, Record<NamespaceName, Probe>>;
  clone3: Probe;
  /** clone3(2) with CLONE_NEWTIME creates a time namespace (since 5.8; spec CLONE-07). */
  clone3Time: Probe;
  /** /proc/self/uid_map reads "0 0 4294967295" (spec §2 note 4). */
  initialUserNs: Probe;
  /** A static BusyBox for the container scenario; detail is its path when found. */
  busybox: Probe;
  /** veth pairs can be created (CONFIG_VETH) in a network namespace the probe made. */
  veth: Probe;
}

const PROBE_TIMEOUT_MS = 10000;

const CAP_SYS_ADMIN = 21n;

/**
 * Real root is uid 0 holding CAP_SYS_ADMIN in the initial user namespace. Not every capability:
 * sandboxed hosts (this project's own CI among them) withhold some, e.g. CAP_SYS_RESOURCE, from root.
 */
function probeRealRoot(host: HostFacts): Probe {
  if (host.euid !== 0) return no(`the runner is uid ${host.euid}`);
  if (!isInitialUserNamespaceMap(host.uidMap)) return no(`uid 0 in a non-initial user namespace (uid_map: ${host.uidMap?.trim() ?? 'unreadable'})`);
  const effective = BigInt(`0x${host.effectiveCaps}`);
  if (((effective >> CAP_SYS_ADMIN) & 1n) === 0n) return no(`uid 0 without CAP_SYS_ADMIN (CapEff ${host.effectiveCaps})`);
  const missing = fullCapabilityMask(host.capLastCap) & ~effective;
  return yes(`uid 0 with CAP_SYS_ADMIN in the initial user namespace${missing ? ` (CapEff ${host.effectiveCaps} lacks mask 0x${missing.toString(16)})` : ''}`);
}

function probeBuilt(kind: NamespaceKind): Probe {
  const path = `/proc/self/ns/${kind.procEntry}`;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' ? no(`${path} is missing`) : unknown(`cannot open ${path}: ${code}`);
  }
  try {
    const type = getNamespaceType(fd);
    if (!type.ok) return unknown(`NS_GET_NSTYPE on ${path} failed with ${type.errno}`);
    if (type.value !== kind.flag) return unknown(`NS_GET_NSTYPE on ${path} gave 0x${type.value.toString(16)}, not ${kind.flagName}`);
    return yes(`${path} present, NS_GET_NSTYPE gives ${kind.flagName}`);
  } finally {
    closeSync(fd);
  }
}

function describeCall(path: CreationPathName, flags: string): string {
  return path === 'unshare' ? `unshare(${flags})` : `${path}(${flags})`;
}

/** A creation probe tries the real thing through the observer: yes, no (with the errno), or could not tell. */
function judgeCreation(record: RunRecord, call: string): Probe {
  if (record.outcome !== 'observed') return unknown(`${call}: ${record.outcome}${'reason' in record && record.reason ? `: ${record.reason}` : ''}`);
  if (!record.creation.ok) return no(`${call} failed with ${record.creation.errno}`);
  if (!record.child) return unknown(`${call} succeeded but the child died before reporting`);
  return yes(`${call} succeeded`);
}

async function probeCreation(
  pool: ObserverPool,
  path: CreationPathName,
  kinds: readonly NamespaceKind[],
  drop: Environment['unprivilegedDrop'],
): Promise<Probe> {
  const flags = kinds.reduce((bits, kind) => (bits | kind.flag) >>> 0, 0);
  const call = describeCall(path, kinds.map((kind) => kind.flagName).join('|') || '0');
  try {
    const record = await pool.run({ path, cloneFlags: flags, drop, timeoutMs: PROBE_TIMEOUT_MS, scratch: null, hostname: null, ops: [] });
    return judgeCreation(record, call);
  } catch (error) {
    return unknown(`${call}: ${(error as Error).message}`);
  }
}

function mapKinds<T>(fn: (kind: NamespaceKind) => T): Record<NamespaceName, T> {
  return Object.fromEntries(NAMESPACES.map((kind) => [kind.name, fn(kind)])) as Record<NamespaceName, T>;
}

async function probeCreatable(pool: ObserverPool, mode: PrivilegeModeName, realRoot: Probe, drop: Environment['unprivilegedDrop']): Promise<Record<NamespaceName, Probe>> {
  if (mode === 'root' && realRoot.state !== 'yes') return mapKinds(() => no(`not tried: ${realRoot.detail}`));
  const user = getNamespace('user');
  const entries = await Promise.all(
    NAMESPACES.map(async (kind) => {
      const kinds = mode === 'root' || kind === user ? [kind] : [user, kind];
      return [kind.name, await probeCreation(pool, 'unshare', kinds, mode === 'root' ? null : drop)] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<NamespaceName, Probe>;
}

/**
 * 0 in the initial user namespace (uid_map "0 0 4294967295"); otherwise only "at least 1": the
 * NS_GET_PARENT walk of spec note 3 stops at once, because the parent of the caller's own user
 * namespace is outside its scope (EPERM), so the depth above cannot be read from inside.
 */
function probeUserNamespaceDepth(host: HostFacts): Probe {
  return isInitialUserNamespaceMap(host.uidMap) ? yes('0 (the initial user namespace)') : yes('at least 1 (a nested user namespace; the levels above are not visible from inside)');
}

export interface ProbeOptions {
  /** Look for (and if need be download) a static BusyBox: only when a selected case needs one, so other runs never touch the network. */
  readonly busybox?: boolean;
}

export async function probeEnvironment(pool: ObserverPool, options: ProbeOptions = {}): Promise<Environment> {
  const host = readHostFacts();
  const realRoot = probeRealRoot(host);
  const unprivilegedDrop = host.euid === 0 ? { uid: UNPRIVILEGED_ID, gid: UNPRIVILEGED_ID } : null;
  const time = getNamespace('time');
  const user = getNamespace('user');
  const ownDrop = realRoot.state === 'yes' ? null : unprivilegedDrop;
  const [root, unprivileged, clone3, clone3Time, veth] = await Promise.all([
    probeCreatable(pool, 'root', realRoot, unprivilegedDrop),
    probeCreatable(pool, 'unprivileged', realRoot, unprivilegedDrop),
    probeCreation(pool, 'clone3', [], null),
    probeCreation(pool, 'clone3', realRoot.state === 'yes' ? [time] : [user, time], ownDrop),
    probeVeth(pool, realRoot.state === 'yes', { uid: host.euid, gid: process.getgid?.() ?? host.euid }),
  ]);
  const creatable = { root, unprivileged } satisfies Record<PrivilegeModeName, Record<NamespaceName, Probe>>;
  if (Object.keys(creatable).length !== PRIVILEGE_MODES.length) throw new Error('a privilege mode has no creation probes');
  return {
    host,
    realRoot,
    unprivilegedDrop,
    userNamespaceDepth: probeUserNamespaceDepth(host),
    built: mapKinds(probeBuilt),
    creatable,
    clone3,
    clone3Time,
    busybox: options.busybox === false ? no('not looked for: no selected case needs it') : probeBusybox(),
    veth,
    initialUserNs: isInitialUserNamespaceMap(host.uidMap) ? yes('uid_map reads 0 0 4294967295') : no(`uid_map reads ${JSON.stringify(host.uidMap?.trim() ?? 'nothing')}`),
  };
}

/** The probe answers as report properties: name → "yes: detail". */
export function describeEnvironment(env: Environment): Array<[string, string]> {
  const probe = (value: Probe): string => `${value.state}: ${value.detail}`;
  return [
    ['kernel.release', env.host.kernelRelease],
    ['machine', env.host.machine],
    ['node', env.host.nodeVersion],
    ['runner.uid', String(env.host.euid)],
    ['runner.capEff', env.host.effectiveCaps],
    ['runner.pidNamespaceDepth', String(env.host.pidNamespaceDepth)],
    ['runner.userNamespaceDepth', probe(env.userNamespaceDepth)],
    ['probe.realRoot', probe(env.realRoot)],
    // The observer contains cases when it runs as uid 0 (native/PROTOCOL.md "Containment").
    [
      'runner.containment',
      env.host.euid === 0
        ? "each case in its own PID, mount, UTS and IPC namespaces, the host's mounts read-only but its scratch dir"
        : 'none: a non-root runner cannot create those namespaces; cases run uncontained with the host guard only',
    ],
    ['probe.unprivilegedIds', env.unprivilegedDrop ? `${env.unprivilegedDrop.uid}:${env.unprivilegedDrop.gid} (dropped to by the creator)` : 'the runner\'s own'],
    ['probe.clone3', probe(env.clone3)],
    ['probe.clone3Time', probe(env.clone3Time)],
    ['probe.initialUserNs', probe(env.initialUserNs)],
    ['probe.busybox', probe(env.busybox)],
    ['probe.veth', probe(env.veth)],
    ...NAMESPACES.map((kind): [string, string] => [`probe.built.${kind.name}`, probe(env.built[kind.name])]),
    ...PRIVILEGE_MODES.flatMap((mode) => NAMESPACES.map((kind): [string, string] => [`probe.creatable.${mode.name}.${kind.name}`, probe(env.creatable[mode.name][kind.name])])),
    ...Object.entries(env.host.sysctls).map(([name, value]): [string, string] => [`sysctl.${name}`, value ?? '(absent)']),
  ];
}
