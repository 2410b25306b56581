// Facts about the runner read from /proc, without creating anything.
import { readFileSync } from 'node:fs';
import { release, machine } from 'node:os';
import { NAMESPACES } from '../namespaces.ts';

export function readProcText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function readNumber(path: string, fallback: number): number {
  const text = readProcText(path);
  const value = text === null ? Number.NaN : Number.parseInt(text.trim(), 10);
  return Number.isFinite(value) ? value : fallback;
}

function readStatusField(field: string): string | null {
  const line = (readProcText('/proc/self/status') ?? '').split('\n').find((entry) => entry.startsWith(`${field}:`));
  return line ? line.slice(field.length + 1).trim() : null;
}

/** Sysctls that decide what the suite can do; they head every report. */
export const REPORTED_SYSCTLS: readonly string[] = [
  ...NAMESPACES.map((kind) => `user/max_${kind.name}_namespaces`),
  'kernel/unprivileged_userns_clone',
  'kernel/apparmor_restrict_unprivileged_userns',
  'kernel/overflowuid',
  'kernel/overflowgid',
  'kernel/cap_last_cap',
  'kernel/pid_max',
];

export interface HostFacts {
  kernelRelease: string;
  machine: string;
  nodeVersion: string;
  uid: number;
  euid: number;
  gid: number;
  effectiveCaps: string;
  capLastCap: number;
  overflowuid: number;
  overflowgid: number;
  uidMap: string | null;
  /** Number of PID namespaces above the runner's (spec §2 note 3). */
  pidNamespaceDepth: number;
  sysctls: Record<string, string | null>;
}

export function readHostFacts(): HostFacts {
  const nspid = readStatusField('NSpid');
  return {
    kernelRelease: release(),
    machine: machine(),
    nodeVersion: process.version,
    uid: process.getuid?.() ?? -1,
    euid: process.geteuid?.() ?? -1,
    gid: process.getgid?.() ?? -1,
    effectiveCaps: readStatusField('CapEff') ?? 'unknown',
    capLastCap: readNumber('/proc/sys/kernel/cap_last_cap', 40),
    overflowuid: readNumber('/proc/sys/kernel/overflowuid', 65534),
    overflowgid: readNumber('/proc/sys/kernel/overflowgid', 65534),
    uidMap: readProcText('/proc/self/uid_map'),
    pidNamespaceDepth: nspid ? nspid.split(/\s+/).length - 1 : 0,
    sysctls: Object.fromEntries(REPORTED_SYSCTLS.map((name) => [name.replace('/', '.'), readProcText(`/proc/sys/${name}`)?.trim() ?? null])),
  };
}

/** The capability mask with every capability up to cap_last_cap set, as /proc/<pid>/status prints it. */
export function fullCapabilityMask(capLastCap: number): bigint {
  return (1n << BigInt(capLastCap + 1)) - 1n;
}

export function isInitialUserNamespaceMap(uidMap: string | null): boolean {
  return uidMap !== null && uidMap.trim().split(/\s+/).join(' ') === '0 0 4294967295';
}
