// What the kernel says about its build: its config (when published) and whether it is Linux at all.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { HostFacts } from './host-facts.ts';

export interface KernelConfig {
  /** Where it was read: /proc/config.gz or /boot/config-<release>. */
  readonly source: string;
  readonly options: ReadonlyMap<string, string>;
}

function parseConfig(text: string, source: string): KernelConfig {
  const options = new Map<string, string>();
  for (const line of text.split('\n')) {
    const set = /^(CONFIG_\w+)=(.*)$/.exec(line);
    const unset = /^# (CONFIG_\w+) is not set$/.exec(line);
    if (set) options.set(set[1]!, set[2]!);
    else if (unset) options.set(unset[1]!, 'n');
  }
  return { source, options };
}

export function readKernelConfig(kernelRelease: string): KernelConfig | null {
  try {
    return parseConfig(gunzipSync(readFileSync('/proc/config.gz')).toString('utf8'), '/proc/config.gz');
  } catch {
    /* not built with IKCONFIG_PROC: try /boot */
  }
  const boot = `/boot/config-${kernelRelease}`;
  try {
    return parseConfig(readFileSync(boot, 'utf8'), boot);
  } catch {
    return null;
  }
}

/** Another kernel implementing Linux's ABI, recognised by what it reports about itself; null for Linux. */
export function recogniseOtherKernel(
  host: Pick<HostFacts, 'kernelVersion' | 'procVersion' | 'kernelRelease'>,
): string | null {
  // gVisor's Sentry reports a fixed release and build date (pkg/sentry/kernel/version.go).
  if (host.kernelVersion.includes('Sun Jan 10 15:06:54 PST 2016') || /gvisor/i.test(host.procVersion ?? ''))
    return 'gVisor (the Sentry implements the Linux ABI in user space)';
  if (/Microsoft/.test(host.procVersion ?? '') && host.kernelRelease.startsWith('4.4.0'))
    return 'WSL 1 (Windows implements the Linux ABI)';
  return null;
}

/** "5.8" ≤ release? Compares major.minor of uname -r; null when the release does not parse. */
export function releaseAtLeast(kernelRelease: string, wanted: string): boolean | null {
  const have = /^(\d+)\.(\d+)/.exec(kernelRelease),
    want = /^(\d+)\.(\d+)/.exec(wanted);
  if (!have || !want) return null;
  const [hMaj, hMin] = [Number(have[1]), Number(have[2])],
    [wMaj, wMin] = [Number(want[1]), Number(want[2])];
  return hMaj !== wMaj ? hMaj > wMaj : hMin >= wMin;
}
