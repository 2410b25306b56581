// The counter-slot method of spec §2 note 1: a per-user limit in a user namespace the script made, and bounded polls.
import { getNamespace, type NamespaceName } from '../../harness/namespaces.ts';
import type { Script } from '../../harness/script/builder.ts';

/** How long a held slot must stay taken: well past the slowest teardown measured (net, 83 ms; spec note 2). */
export const HOLD_MS = 400;
/** How long a released slot may take to come back (spec note 2: at least 2 s). */
export const RELEASE_MS = 3000;

export const flagOf = (kind: NamespaceName): number => getNamespace(kind).flag;

export const limitFile = (kind: NamespaceName): string => `/proc/sys/user/max_${kind}_namespaces`;

/** Writes max_<kind>_namespaces; the host guard lets this through only from a user namespace the script created. */
export function setLimit(s: Script, label: string, kind: NamespaceName, value: number): string {
  return s.write(label, limitFile(kind), String(value));
}

/**
 * The slot stays taken: polls for a free slot for HOLD_MS and must still see ENOSPC at the end.
 * Not a sleep waiting for reclaim: it is the bounded observation that reclaim does not happen.
 */
export function stillHeld(s: Script, label: string, kind: NamespaceName): string {
  return s.pollProbe(label, 'ok', HOLD_MS, flagOf(kind));
}

/** The slot comes back within RELEASE_MS of the last reference going. */
export function freedAgain(s: Script, label: string, kind: NamespaceName): string {
  return s.pollProbe(label, 'ok', RELEASE_MS, flagOf(kind));
}
