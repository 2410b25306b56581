// Script building blocks the setns suite shares: processes that hold namespaces for others to join.
import type { Script } from '../../harness/kit.ts';

/** CapEff of a process holding every capability the kernel knows: (1 << (cap_last_cap + 1)) - 1 in hex. */
export const FULL_CAPABILITIES = /^0*[137]?f+$/;

/**
 * Forks `label` with clone3(flags) — so it lives in the namespaces those flags create — runs `body` in it,
 * and keeps it alive until `releaseHolder`; returns once the holder is ready. Uses events `event` and `event + 1`.
 */
export function holdNamespaces(
  s: Script,
  label: string,
  flags: number,
  event: number,
  body?: (holder: Script) => void,
): void {
  s.fork(label, 'clone3', flags, (holder) => {
    body?.(holder);
    holder.post(`${label}Ready`, event);
    holder.await(`${label}Held`, event + 1);
  });
  s.await(`${label}Up`, event);
}

/** Lets a holder exit and reaps it (after any members forked from outside, spec note 5). */
export function releaseHolder(s: Script, label: string, event: number): void {
  s.post(`${label}Go`, event + 1);
  s.wait(`${label}Exit`, label);
}
