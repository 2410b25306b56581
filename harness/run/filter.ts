// Selecting cases: --only and --exclude globs on case ids, --mode and --path on their variant, --rerun-failed ids.
import type { ObservationGroup } from '../case.ts';
import { UsageError } from '../errors.ts';

/** A shell-style glob: "*" any run of characters, "?" one character; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  const body = [...glob]
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 's');
}

export interface CaseFilter {
  only: readonly string[];
  modes: readonly string[];
  paths: readonly string[];
  exclude?: readonly string[];
  /** Only these case ids (a previous report's failures), when given. */
  ids?: ReadonlySet<string> | null;
}

function describeFilter(filter: CaseFilter): string {
  const globs = (option: string, list: readonly string[] = []): string =>
    list.map((glob) => ` ${option} ${JSON.stringify(glob)}`).join('');
  const rerun = filter.ids ? ` among the ${filter.ids.size} cases to rerun` : '';
  return `${globs('--only', filter.only)}${globs('--exclude', filter.exclude)} --mode ${filter.modes.join(',')} --path ${filter.paths.join(',')}${rerun}`;
}

/** Keeps the cases that match; a filter that leaves nothing is a usage error, not an empty green run. */
export function filterGroups(groups: readonly ObservationGroup[], filter: CaseFilter): ObservationGroup[] {
  const patterns = filter.only.map(globToRegExp);
  const excluded = (filter.exclude ?? []).map(globToRegExp);
  const kept = groups
    .map((group) => ({
      ...group,
      cases: group.cases.filter(({ info }) => {
        const { mode, path } = info.properties;
        if (mode !== undefined && !filter.modes.includes(mode)) return false;
        if (path !== undefined && !filter.paths.includes(path)) return false;
        if (filter.ids && !filter.ids.has(info.id)) return false;
        if (excluded.some((pattern) => pattern.test(info.id))) return false;
        return patterns.length === 0 || patterns.some((pattern) => pattern.test(info.id));
      }),
    }))
    .filter((group) => group.cases.length > 0);
  if (kept.length === 0) throw new UsageError(`no case matches${describeFilter(filter)} (see "nsconform list")`);
  return kept;
}
