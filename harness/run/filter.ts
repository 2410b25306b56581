// Selecting cases: --only globs on case ids, --mode and --path on their variant.
import type { ObservationGroup } from '../case.ts';
import { UsageError } from '../errors.ts';

/** A shell-style glob: "*" any run of characters, "?" one character; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  const body = [...glob].map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's');
}

export interface CaseFilter {
  only: readonly string[];
  modes: readonly string[];
  paths: readonly string[];
}

/** Keeps the cases that match; a filter that leaves nothing is a usage error, not an empty green run. */
export function filterGroups(groups: readonly ObservationGroup[], filter: CaseFilter): ObservationGroup[] {
  const patterns = filter.only.map(globToRegExp);
  const kept = groups
    .map((group) => ({
      ...group,
      cases: group.cases.filter(({ info }) => {
        const { mode, path } = info.properties;
        if (mode !== undefined && !filter.modes.includes(mode)) return false;
        if (path !== undefined && !filter.paths.includes(path)) return false;
        return patterns.length === 0 || patterns.some((pattern) => pattern.test(info.id));
      }),
    }))
    .filter((group) => group.cases.length > 0);
  if (kept.length === 0) {
    const only = filter.only.length ? ` --only ${filter.only.map((glob) => JSON.stringify(glob)).join(' ')}` : '';
    throw new UsageError(`no case matches${only} --mode ${filter.modes.join(',')} --path ${filter.paths.join(',')} (see "nsconform list")`);
  }
  return kept;
}
