// Script steps of the pid suite's own ops (native/src/script_pid_ops.c) and the numbers they use.
import { capsetArgs, type Script } from '../../harness/kit.ts';

/** waitpid(2) WUNTRACED: also report a child that stopped. */
export const WUNTRACED = 2;

/** prctl(2) PR_SET_CHILD_SUBREAPER. */
export const PR_SET_CHILD_SUBREAPER = 36;

/** Installs a handler for `signal` that counts arrivals and keeps the last si_pid. */
export function catchSignal(s: Script, label: string, signal: number): string {
  return s.op.catch(label, signal);
}

/** Waits at most `withinMs` for the handler of `signal` to have run: fields count and siPid; ETIMEDOUT if it never ran. */
export function caught(s: Script, label: string, signal: number, withinMs = 2000): string {
  return s.op.caught(label, signal, withinMs);
}

/** kill(pid, 0), which sends nothing: 0 when the caller can see the process, ESRCH when it cannot. */
export function visible(s: Script, label: string, pid: string | number): string {
  return s.op.visible(label, typeof pid === 'number' ? pid : `$${pid}`);
}

/** A throw-away chain of unshare(CLONE_NEWPID) + fork until unshare fails: startDepth, created, depth, unshareErrno, cloneErrno. */
export function pidNest(s: Script, label: string): string {
  return s.op.pidnest(label);
}

/** capset(2) with a _LINUX_CAPABILITY_VERSION_3 header for the caller and data clearing every set: no capabilities left. */
export function dropAllCaps(s: Script, label: string): string {
  return s.sys(label, 'capset', ...capsetArgs({ effective: 0n, permitted: 0n }));
}
