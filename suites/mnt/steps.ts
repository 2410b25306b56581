// Mount steps the mnt claims share: tmpfs mounts, binds and propagation changes under {scratch}, and the mount-table ops of native/src/script_mnt_ops.c.
import { MS, type Script, str } from '../../harness/kit.ts';

/** A directory under the case's scratch dir: "a" → "{scratch}/a". */
export const under = (rel: string): string => `{scratch}/${rel}`;

export function mkdir(s: Script, label: string, rel: string): string {
  return s.sys(label, 'mkdir', str(under(rel)), 0o755);
}

/** A fresh tmpfs on {scratch}/rel (the directory must exist); per-mount flags such as MS.RDONLY may be given. */
export function tmpfs(s: Script, label: string, rel: string, flags = 0): string {
  return s.sys(label, 'mount', str('nsconform'), str(under(rel)), str('tmpfs'), flags, 0);
}

/** mount --bind (or --rbind with MS.REC in extra) of {scratch}/from onto {scratch}/to. */
export function bind(s: Script, label: string, from: string, to: string, extra = 0): string {
  return s.sys(label, 'mount', str(under(from)), str(under(to)), 0, MS.BIND | extra, 0);
}

/** A propagation change: MS.SHARED, MS.SLAVE, MS.PRIVATE or MS.UNBINDABLE on {scratch}/rel. */
export function propagation(s: Script, label: string, rel: string, type: number): string {
  return s.sys(label, 'mount', 0, str(under(rel)), 0, type, 0);
}

export function umount(s: Script, label: string, rel: string, flags = 0): string {
  return s.sys(label, 'umount2', str(under(rel)), flags);
}

/**
 * The mounts of a table at or below a prefix (default: the scratch dir). Fields: r = how many, "list" = their
 * paths relative to the prefix in table order ("@" = the prefix itself), "at.<path>.tags" = mountinfo's optional
 * fields ("" = private), "at.<path>.id", ".parent", ".fs", ".opts", and "total" = every mount in the table.
 */
export function mounts(s: Script, label: string, table = '/proc/self/mountinfo', prefix = '{scratch}'): string {
  return s.op.mounts(label, table, prefix);
}

/** Two mountinfo tables: "samePoints" (the same mount points, in any order), "commonIds" (ids of a found in b), "na", "nb". */
export function compareTables(s: Script, label: string, a: string, b: string): string {
  return s.op.mntcmp(label, a, b);
}

/** One poll() of an fd for POLLPRI with a zero timeout: r = ready fds, "pri" = POLLPRI reported. */
export function pollPri(s: Script, label: string, fd: string): string {
  return s.op.pollfd(label, `$${fd}`, 2, 0);
}

/** Regexes picking one number out of a tags field. */
export const SHARED = /shared:(\d+)/;
export const MASTER = /master:(\d+)/;
export const FROM = /propagate_from:(\d+)/;
