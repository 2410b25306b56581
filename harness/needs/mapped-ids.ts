// Outer ids a script maps must be mapped in the creator's user namespace: a one-id rootless container maps only 0.
import { parseIdMap } from '../env/unprivileged-ids.ts';
import type { Environment } from '../env/environment.ts';
import type { PrivilegeModeName } from '../privilege-mode.ts';
import type { NeedKind } from './answer.ts';

export interface MappedIdsNeed {
  readonly kind: 'mapped-ids';
  readonly mode: PrivilegeModeName;
  readonly uids: readonly number[];
  readonly gids: readonly number[];
  readonly projids: readonly number[];
}

/** "0-46, 1000": ids once each, sorted, runs joined. */
function ranges(ids: readonly number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    runs.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return runs.join(', ');
}

type MapName = 'uid' | 'gid' | 'projid';

/** The creator's maps: the runner's, or for a nested drop the one-line maps the observer wrote (projid_map stays empty). */
function creatorMap(
  env: Environment,
  mode: PrivilegeModeName,
  which: MapName,
): { text: string | null; source: string } {
  const drop = mode === 'unprivileged' ? env.unprivilegedDrop : null;
  if (drop?.nested) {
    const id = which === 'uid' ? drop.uid : drop.gid;
    return {
      text: which === 'projid' ? '' : `${id} ${env.host.euid} 1`,
      source: `the nested user namespace the unprivileged mode runs in (${which}_map ${which === 'projid' ? 'empty' : `"${id} 0 1"`})`,
    };
  }
  const text = which === 'uid' ? env.host.uidMap : which === 'gid' ? env.host.gidMap : env.host.projidMap;
  return {
    text,
    source: `the runner's /proc/self/${which}_map ${JSON.stringify(text?.trim().replace(/\s+/g, ' ') ?? 'unreadable')}`,
  };
}

function unmapped(env: Environment, mode: PrivilegeModeName, which: MapName, ids: readonly number[]): string | null {
  const { text, source } = creatorMap(env, mode, which);
  const mapped = parseIdMap(text);
  const missing = ids.filter((id) => !mapped.some((range) => id >= range.inside && id - range.inside < range.count));
  return missing.length ? `${which} ${ranges(missing)} not mapped in ${source}` : null;
}

export const mappedIds: NeedKind<MappedIdsNeed> = {
  describe: (need) =>
    `needs the outer ids it writes into id maps (uid ${ranges(need.uids) || 'none'}${need.projids.length ? `, projid ${ranges(need.projids)}` : ''}) mapped where it runs`,
  evaluate(need, env) {
    const reasons = [
      unmapped(env, need.mode, 'uid', need.uids),
      unmapped(env, need.mode, 'gid', need.gids),
      unmapped(env, need.mode, 'projid', need.projids),
    ].filter(Boolean);
    if (reasons.length === 0) return { met: true };
    return {
      met: false,
      reason: `${this.describe(need)}: ${reasons.join('; ')} — run where more ids are mapped (the host, or a container given a subordinate id range: newuidmap, podman --userns=auto)`,
    };
  },
};
