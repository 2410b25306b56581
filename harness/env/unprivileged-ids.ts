// Which ids the unprivileged mode drops to, chosen from what this user namespace maps.
import type { DropIds } from '../observer/request.ts';
import { UNPRIVILEGED_ID } from '../privilege-mode.ts';

export interface IdRange {
  readonly inside: number;
  readonly outside: number;
  readonly count: number;
}

/** The lines of a /proc/<pid>/uid_map or gid_map (user_namespaces(7)). */
export function parseIdMap(text: string | null): IdRange[] {
  return (text ?? '')
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter((fields) => fields.length === 3 && fields.every(Number.isInteger))
    .map(([inside, outside, count]) => ({ inside: inside!, outside: outside!, count: count! }));
}

const mapped = (ranges: readonly IdRange[], id: number): boolean =>
  ranges.some((range) => id >= range.inside && id - range.inside < range.count);

/** The first non-zero id both maps hold, away from the overflow ids; null when only 0 is mapped. */
function firstNonZero(uids: readonly IdRange[], gids: readonly IdRange[], overflow: number): number | null {
  for (const range of uids) {
    for (const id of [range.inside, range.inside + 1, range.inside + range.count - 1]) {
      if (id !== 0 && id !== overflow && id - range.inside < range.count && mapped(gids, id)) return id;
    }
  }
  return null;
}

export interface DropChoice {
  /** null: the runner is unprivileged already and runs that mode as itself. */
  readonly drop: DropIds | null;
  /** How the ids were chosen, for `nsconform env` and the report. */
  readonly detail: string;
}

/**
 * A root runner drops to 64646 when its user namespace maps it, else to another mapped non-zero id;
 * where only 0 is mapped (a one-id rootless container) the creator enters a nested user namespace
 * that maps 64646 onto the runner, and drops to it there.
 */
export function chooseDrop(euid: number, uidMap: string | null, gidMap: string | null, overflowId = 65534): DropChoice {
  if (euid !== 0) return { drop: null, detail: `the runner's own ids (uid ${euid})` };
  const uids = parseIdMap(uidMap),
    gids = parseIdMap(gidMap);
  if (mapped(uids, UNPRIVILEGED_ID) && mapped(gids, UNPRIVILEGED_ID)) {
    return {
      drop: { uid: UNPRIVILEGED_ID, gid: UNPRIVILEGED_ID },
      detail: `${UNPRIVILEGED_ID}:${UNPRIVILEGED_ID}, dropped to by the creator`,
    };
  }
  const other = firstNonZero(uids, gids, overflowId);
  if (other !== null)
    return {
      drop: { uid: other, gid: other },
      detail: `${other}:${other}, the first non-zero id this user namespace maps (${UNPRIVILEGED_ID} is not mapped)`,
    };
  return {
    drop: { uid: UNPRIVILEGED_ID, gid: UNPRIVILEGED_ID, nested: true },
    detail: `${UNPRIVILEGED_ID}:${UNPRIVILEGED_ID} in a nested user namespace mapped onto the runner: this user namespace maps no non-zero id`,
  };
}
