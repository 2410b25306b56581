// Failures grouped by cause: same claim, same outcome and the same message once ids and numbers are set aside.
import type { CaseResult } from '../case.ts';

export interface FailureGroup {
  readonly status: 'fail' | 'error';
  readonly suite: string;
  readonly claim: string;
  /** The message with numbers (pids, inodes, ids) replaced, so one cause reads as one row. */
  readonly cause: string;
  /** The first message as it was, for a concrete example. */
  readonly example: string;
  readonly exampleId: string;
  readonly count: number;
  readonly flagSets: readonly string[];
  readonly variants: readonly string[];
  readonly ids: readonly string[];
}

/**
 * Flag lists become FLAGS, hex words X and digit runs N: one refusal that fails every flag set of a claim, or one
 * wrong value seen under different pids, then reads as one cause.
 */
export function normaliseMessage(message: string): string {
  return message
    .replace(/\((?:CLONE_[A-Z]+\|)*CLONE_[A-Z]+\)|\(0\)/g, '(FLAGS)')
    .replace(/\b0x[0-9a-f]+\b/gi, 'X')
    .replace(/\b[0-9a-f]{8,}\b/gi, 'X')
    .replace(/\d+/g, 'N');
}

const statusRank = (status: 'fail' | 'error'): number => (status === 'fail' ? 0 : 1);

interface Building {
  status: 'fail' | 'error';
  suite: string;
  claim: string;
  cause: string;
  example: string;
  exampleId: string;
  ids: string[];
  flagSets: Set<string>;
  variants: Set<string>;
}

/** Groups in descending size; within a size kernel failures before harness errors, then by case id. */
export function groupFailures(results: readonly CaseResult[]): FailureGroup[] {
  const groups = new Map<string, Building>();
  for (const { info, outcome } of results) {
    if (outcome.status !== 'fail' && outcome.status !== 'error') continue;
    const cause = normaliseMessage(outcome.message);
    const key = `${outcome.status}\n${info.suite}\n${info.claim}\n${cause}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        status: outcome.status,
        suite: info.suite,
        claim: info.claim,
        cause,
        example: outcome.message,
        exampleId: info.id,
        ids: [],
        flagSets: new Set(),
        variants: new Set(),
      };
      groups.set(key, group);
    }
    group.ids.push(info.id);
    const { flagSet, path, mode } = info.properties;
    if (flagSet !== undefined) group.flagSets.add(flagSet);
    if (path !== undefined || mode !== undefined) group.variants.add([path, mode].filter(Boolean).join(', '));
  }
  return [...groups.values()]
    .map((group) => ({
      ...group,
      count: group.ids.length,
      flagSets: [...group.flagSets],
      variants: [...group.variants],
    }))
    .sort(
      (a, b) =>
        b.count - a.count || statusRank(a.status) - statusRank(b.status) || a.exampleId.localeCompare(b.exampleId),
    );
}

/** "pid, pid+user, … and 30 more" */
export function listSome(items: readonly string[], shown: number): string {
  if (items.length <= shown) return items.join(', ');
  return `${items.slice(0, shown).join(', ')}, … and ${items.length - shown} more`;
}
