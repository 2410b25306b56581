// Whether a directory path can be trusted by a root run: no symlinks, and nobody else can change what it leads to.
import { lstatSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const S_ISVTX = 0o1000;

export interface TrustRule {
  /** Every directory owned by root or the runner, none group- or other-writable: for a binary root executes. */
  readonly strict: boolean;
}

function ancestors(path: string): string[] {
  const chain: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dir === '/') return chain;
  }
}

/**
 * Why directory `path` cannot be trusted, or null; lstat on every component, so a symlink anywhere is refused.
 * Not strict (report directories): only a world-writable directory without the sticky bit is refused — in a
 * sticky one (/tmp) nobody can rename what is not theirs, and group-writable checkouts are common (umask 002).
 */
export function untrustedReason(path: string, rule: TrustRule): string | null {
  const euid = process.geteuid?.() ?? 0;
  for (const dir of ancestors(path)) {
    let stat;
    try {
      stat = lstatSync(dir);
    } catch (error) {
      return `${dir}: ${(error as NodeJS.ErrnoException).code ?? 'cannot be examined'}`;
    }
    if (stat.isSymbolicLink()) return `${dir} is a symbolic link`;
    if (!stat.isDirectory()) return `${dir} is not a directory`;
    const mode = (stat.mode & 0o7777).toString(8);
    if (rule.strict) {
      if (stat.uid !== 0 && stat.uid !== euid) return `${dir} belongs to uid ${stat.uid}, neither root nor uid ${euid}`;
      if ((stat.mode & 0o022) !== 0) return `${dir} is writable by others than its owner (mode ${mode})`;
    } else if ((stat.mode & 0o002) !== 0 && (stat.mode & S_ISVTX) === 0) {
      return `${dir} is writable by every user (mode ${mode}, no sticky bit)`;
    }
  }
  return null;
}
