// Steps the time claims share: a new time namespace for the caller's children, with offsets written before anyone enters it.
import { CLONE, type Script, type ScriptIdentity } from '../../harness/kit.ts';

export const OFFSETS_FILE = '/proc/self/timens_offsets';

/** One day and one week, as the spec's runs used: large enough that no scheduling delay is mistaken for them. */
export const DAY_S = 86400;
export const WEEK_S = 604800;

/** The `clock secs nsecs` records of timens_offsets, one line each. */
export function offsetRecords(monotonicS: number, boottimeS: number): string {
  return `monotonic ${monotonicS} 0\nboottime ${boottimeS} 0\n`;
}

/** Root (real, or in a new user namespace when unprivileged), then unshare(CLONE_NEWTIME): only children will be in it. */
export function newTimeNamespaceForChildren(s: Script, who: ScriptIdentity): string {
  s.privileged('p', who);
  return s.sys('unshare', 'unshare', CLONE.NEWTIME);
}

/** A step reading `clockId` in ms: a base for `shift` steps in other processes. */
export function clockBase(s: Script, label: string, clockId: number): string {
  return s.op.time_clockms(label, clockId);
}

/** The clock now minus the base (same clock) in ms and whole seconds, through the vDSO and the raw system call. */
export function shift(s: Script, label: string, clockId: number, base: string): string {
  return s.op.time_shift(label, clockId, `$${base}`);
}
