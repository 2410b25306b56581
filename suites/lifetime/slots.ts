// The counter-slot method of spec §2 note 1: a per-user limit in a user namespace the script made; a freed slot is polled for with a deadline.
import { getNamespace, type NamespaceName, type Script } from '../../harness/kit.ts';

/** How long a released slot may take to come back (spec note 2: at least 2 s). */
export const RELEASE_MS = 3000;

export const flagOf = (kind: NamespaceName): number => getNamespace(kind).flag;

export const limitFile = (kind: NamespaceName): string => `/proc/sys/user/max_${kind}_namespaces`;

/** Writes max_<kind>_namespaces; the host guard lets this through only from a user namespace the script created. */
export function setLimit(s: Script, label: string, kind: NamespaceName, value: number): string {
  return s.write(label, limitFile(kind), String(value));
}

/**
 * The slot is still taken, asked once: the namespace is still counted. That it is alive is shown by a positive
 * witness (witness.ts), never by the slot staying taken for a while: a kernel that tears down slowly would pass that.
 */
export function stillCounted(s: Script, label: string, kind: NamespaceName): string {
  return s.probe(label, flagOf(kind));
}

/** The slot comes back within RELEASE_MS of the last reference going. */
export function freedAgain(s: Script, label: string, kind: NamespaceName): string {
  return s.pollProbe(label, 'ok', RELEASE_MS, flagOf(kind));
}
