// The id claims give files and id maps when they need "another user": one no account or group on this machine has.
import { readFileSync } from 'node:fs';
import { UNPRIVILEGED_ID } from './privilege-mode.ts';

/** Where the search starts: just above the id the unprivileged mode drops to, away from distribution ranges. */
const FIRST_CANDIDATE = UNPRIVILEGED_ID + 1;

function idsIn(file: string): Set<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return new Set();
  }
  return new Set(
    text
      .split('\n')
      .map((line) => Number(line.split(':')[2]))
      .filter(Number.isInteger),
  );
}

let chosen: number | undefined;

/**
 * A uid that is also a gid no account has (/etc/passwd, /etc/group): a file a root claim chowns to it, or a
 * namespace root mapped to it, gives no local user anything (uid 1000, used before, is usually the first account).
 */
export function otherUserId(): number {
  if (chosen === undefined) {
    const taken = new Set([...idsIn('/etc/passwd'), ...idsIn('/etc/group')]);
    let id = FIRST_CANDIDATE;
    while (taken.has(id)) id++;
    chosen = id;
  }
  return chosen;
}
