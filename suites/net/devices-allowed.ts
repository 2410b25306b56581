// Which devices a fresh network namespace holds (spec D13): lo, plus the fallback devices of the tunnel drivers loaded
// in the initial namespace while net.core.fb_tunnels_only_for_init_net is 0 — nothing else. One rule for the matrix and the net suite.

/** The fallback devices each tunnel driver adds to every namespace (net/ipv4, net/ipv6: *_init_net). */
export const TUNNEL_FALLBACKS: Readonly<Record<string, readonly string[]>> = {
  ipip: ['tunl0'],
  ip_gre: ['gre0', 'gretap0', 'erspan0'],
  sit: ['sit0'],
  ip6_tunnel: ['ip6tnl0'],
  ip6_gre: ['ip6gre0'],
  ip_vti: ['ip_vti0'],
  ip6_vti: ['ip6_vti0'],
};

export const FB_TUNNELS_SYSCTL = '/proc/sys/net/core/fb_tunnels_only_for_init_net';

/** What the initial namespace says about fallback devices; null where it could not be read. */
export interface TunnelEvidence {
  /** 0: every namespace gets them; 1: only the initial one; 2: none. null: unreadable (runner outside the initial namespace, or an old kernel). */
  readonly fbTunnelsOnlyForInitNet: number | null;
  /** Tunnel drivers with a /sys/module entry; null when /sys/module itself could not be read. */
  readonly loaded: readonly string[] | null;
}

/** The devices besides lo: those a new namespace must have, and those it may have because the evidence cannot tell. */
export function fallbackDevices(evidence: TunnelEvidence): { required: string[]; optional: string[] } {
  const all = Object.values(TUNNEL_FALLBACKS).flat();
  if (evidence.loaded === null) return { required: [], optional: all };
  const loaded = evidence.loaded.flatMap((driver) => TUNNEL_FALLBACKS[driver] ?? []);
  if (evidence.fbTunnelsOnlyForInitNet === 0) return { required: loaded, optional: [] };
  if (evidence.fbTunnelsOnlyForInitNet === null) return { required: [], optional: loaded };
  return { required: [], optional: [] };
}

export function describeAllowed(evidence: TunnelEvidence): string {
  const { required, optional } = fallbackDevices(evidence);
  const why =
    evidence.loaded === null
      ? '/sys/module unreadable'
      : `tunnel drivers loaded: ${evidence.loaded.join(', ') || 'none'}; fb_tunnels_only_for_init_net ${evidence.fbTunnelsOnlyForInitNet ?? 'unreadable'}`;
  return `exactly ${['lo', ...required].join(', ')}${optional.length ? `, maybe ${optional.join(', ')}` : ''} (${why})`;
}

/** Whether a namespace's device names are what the evidence allows: lo and every required fallback, nothing unexplained. */
export function devicesAllowed(names: readonly string[], evidence: TunnelEvidence): boolean {
  const { required, optional } = fallbackDevices(evidence);
  const have = new Set(names);
  return (
    names.length === have.size &&
    ['lo', ...required].every((name) => have.has(name)) &&
    names.every((name) => name === 'lo' || required.includes(name) || optional.includes(name))
  );
}
