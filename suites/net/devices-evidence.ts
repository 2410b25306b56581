// Reading the D13 evidence (devices-allowed.ts): as script steps for the net suite, from Node once per run for the matrix.
import { readFileSync, statSync } from 'node:fs';
import { expect, type Ref, type Rule, type Script } from '../../harness/kit.ts';
import { asText } from '../../harness/script/checks/ref.ts';
import {
  describeAllowed,
  devicesAllowed,
  FB_TUNNELS_SYSCTL,
  TUNNEL_FALLBACKS,
  type TunnelEvidence,
} from './devices-allowed.ts';

const { at } = expect;
const DRIVERS = Object.keys(TUNNEL_FALLBACKS);
const driverStep = (driver: string): string => `tunnel_${driver}`;

function sysctlValue(text: unknown): number | null {
  const value = typeof text === 'string' ? Number(text.trim()) : NaN;
  return text !== '' && Number.isInteger(value) ? value : null;
}

/** Steps of the script's first process, in the runner's namespace: the sysctl and one stat per tunnel driver's /sys/module entry. */
export function readTunnelEvidence(s: Script): void {
  s.read('fbTunnels', FB_TUNNELS_SYSCTL);
  s.stat('sysModule', '/sys/module');
  for (const driver of DRIVERS) s.stat(driverStep(driver), `/sys/module/${driver}`);
}

/** What readTunnelEvidence's steps read, in the order evidenceOf takes them. */
export const TUNNEL_EVIDENCE: readonly Ref[] = [
  at('fbTunnels', 'text'),
  at('sysModule'),
  ...DRIVERS.map((driver) => at(driverStep(driver))),
];

/** A failed stat of /sys/module/<driver> is the kernel saying the driver is not there; a failed /sys/module says nothing. */
export function evidenceOf(from: readonly unknown[]): TunnelEvidence {
  const [fb, sysModule, ...drivers] = from;
  return {
    fbTunnelsOnlyForInitNet: sysctlValue(fb),
    loaded: sysModule === 0 ? DRIVERS.filter((_, index) => drivers[index] === 0) : null,
  };
}

/** The rule over a value whose device names `namesOf` extracts. */
export function devicesRule(namesOf: (value: string) => string[]): Rule {
  return {
    expects: (from) => `a list of devices that is ${describeAllowed(evidenceOf(from))}`,
    holds: (value, from) => devicesAllowed(namesOf(asText(value)), evidenceOf(from)),
    breaking: () => 'lo nsconform-unexplained0',
  };
}

/** Names from ifaces/readdir: space-separated. */
export const wordNames = (text: string): string[] => text.split(' ').filter(Boolean);
/** Names from /proc/net/dev: two header lines, then "name: counters" per device. */
export const procNetDevNames = (text: string): string[] =>
  text
    .split('\n')
    .slice(2)
    .filter((line) => line.includes(':'))
    .map((line) => line.split(':')[0]!.trim());

let cached: TunnelEvidence | undefined;

/** The same evidence, read once by the harness for the matrix (whose child facts carry no script steps). */
export function hostTunnelEvidence(): TunnelEvidence {
  if (cached) return cached;
  const exists = (path: string): boolean => {
    try {
      statSync(path);
      return true;
    } catch {
      return false;
    }
  };
  let fb: string | undefined;
  try {
    fb = readFileSync(FB_TUNNELS_SYSCTL, 'utf8');
  } catch {
    fb = undefined;
  }
  cached = {
    fbTunnelsOnlyForInitNet: sysctlValue(fb),
    loaded: exists('/sys/module') ? DRIVERS.filter((driver) => exists(`/sys/module/${driver}`)) : null,
  };
  return cached;
}
