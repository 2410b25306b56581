// Steps, field picks and check helpers the user suite's claims share: id maps and overflow ids, capabilities, files, nesting (user_namespaces(7)).
import {
  allCapsBut,
  AT_FDCWD,
  type Check,
  CLONE,
  expect,
  O,
  otherUserId,
  PR_SET_DUMPABLE,
  type Ref,
  type Script,
  type ScriptIdentity,
  str,
} from '../../harness/kit.ts';

export const STATUS = '/proc/self/status';

/**
 * A /proc/pid/status capability line's hex value, from the raw status text or from an exec report's JSON text
 * (where a tab reads as the two characters \\t). Lookbehinds keep the match to the value itself, and the value
 * runs to the next separator, so a changed value reads back changed.
 */
export const capLine = (name: 'CapEff' | 'CapPrm' | 'CapBnd' | 'CapInh'): RegExp =>
  new RegExp(`(?<=${name}:(?:\\\\t|\\s)+)([^\\\\\\s]+)`);
/** The effective uid (second field of Uid:), from status text or an exec report's JSON text. */
export const EUID = /(?<=Uid:(?:\\t|\s)+\d+(?:\\t|\s)+)(\d+)/;

export const capOf = (step: string, name: 'CapEff' | 'CapPrm' | 'CapBnd' | 'CapInh' = 'CapEff'): Ref =>
  expect.at(step, 'text', capLine(name));

/** capmask: the kernel's full capability set, formatted as status prints it, in field "full". */
export function fullMask(s: Script, label: string): string {
  return s.op.capmask(label);
}

/** The outer uid a child namespace maps its root to: the caller's own id, or for real root one no account has, so the mapping is not the identity. */
export const outerId = (who: ScriptIdentity): number => (who.mode === 'root' ? otherUserId() : who.uid);
export const outerGid = (who: ScriptIdentity): number => (who.mode === 'root' ? otherUserId() : who.gid);

/** Becomes uid/gid `uid` (0: root) of the current user namespace once its maps are written: setresgid, setresuid. */
export function becomeNsRoot(s: Script, prefix: string, uid = 0): void {
  s.sys(`${prefix}Gid`, 'setresgid', uid, uid, uid);
  s.sys(`${prefix}Uid`, 'setresuid', uid, uid, uid);
  // A changed euid makes the process non-dumpable, and its /proc/pid files (id maps too) root's: undo that.
  s.sys(`${prefix}Dumpable`, 'prctl', PR_SET_DUMPABLE, 1);
}

/** Opens (creating) a scratch file an exec report will be written to; later read it with s.read. */
export function reportFile(s: Script, label: string, name: string): string {
  return s.sys(label, 'openat', AT_FDCWD, str(`{scratch}/${name}`), O.WRONLY | O.CREAT, 0o666);
}

/** execve(path) of a copy of the observer, which writes its status identity lines to the report fd. */
export function execFile(s: Script, label: string, path: string, reportFd: string): string {
  return s.op.execfile(label, path, `$${reportFd}`, label);
}

export const OVERFLOW_UID_FILE = '/proc/sys/kernel/overflowuid';
export const OVERFLOW_GID_FILE = '/proc/sys/kernel/overflowgid';

/** Reads the overflow uid and gid files (labels overflowUid, overflowGid): what unmapped ids show as. */
export function readOverflowIds(s: Script): void {
  s.read('overflowUid', OVERFLOW_UID_FILE);
  s.read('overflowGid', OVERFLOW_GID_FILE);
}

export const overflowUid: Ref = expect.at('overflowUid', 'text', /(\d+)/);
export const overflowGid: Ref = expect.at('overflowGid', 'text', /(\d+)/);

/** Field `n` (1-based) of the first line of an id-map file read by step `label`. */
export function mapField(label: string, n: 1 | 2 | 3): Ref {
  const skip = '\\s*' + '\\d+\\s+'.repeat(n - 1);
  return expect.at(label, 'text', new RegExp(`^${skip}(\\d+)`));
}

/** Checks that an id-map read shows exactly one line "first lower count". */
export function mapLineIs(label: string, first: number, lower: number, count: number, why?: string): Check[] {
  return [
    expect.equals(mapField(label, 1), first, why),
    expect.equals(mapField(label, 2), lower, why),
    expect.equals(mapField(label, 3), count, why),
  ];
}

/** A child in a new user namespace that only waits for `event`, so the parent can act on its /proc files. */
export function holdingChild(s: Script, label: string, event: number): string {
  return s.fork(label, 'clone3', CLONE.NEWUSER, (c) => {
    c.await(`${label}Hold`, event);
  });
}

/** "first first 1" lines for first = 0 .. n-1: n single-id extents that do not overlap. */
export function identityLines(n: number): string {
  return Array.from({ length: n }, (_, i) => `${i} ${i} 1`).join('\n') + '\n';
}

const CAP_SETFCAP = 31;

/** capset(2) arguments: every capability, CAP_SETFCAP not effective. */
export const WITHOUT_SETFCAP = (): [string, string] => allCapsBut(CAP_SETFCAP);
