// Every check kind, by name: judging, violating and reading are lookups here.
import type { CheckKind } from './kind.ts';
import { compare, type CompareCheck } from './compare.ts';
import { differ, type DifferCheck } from './differ.ts';
import { equals, type EqualsCheck } from './equals.ts';
import { errno, type ErrnoCheck } from './errno.ts';
import { excludes, type ExcludesCheck } from './excludes.ts';
import { exit, type ExitCheck } from './exit.ts';
import { fits, type FitsCheck } from './fits.ts';
import { includes, type IncludesCheck } from './includes.ts';
import { matches, type MatchesCheck } from './matches.ts';
import { ok, type OkCheck } from './ok.ts';
import { ret, type RetCheck } from './ret.ts';
import { same, type SameCheck } from './same.ts';

export type Check =
  | OkCheck
  | ErrnoCheck
  | RetCheck
  | EqualsCheck
  | MatchesCheck
  | IncludesCheck
  | ExcludesCheck
  | SameCheck
  | DifferCheck
  | ExitCheck
  | CompareCheck
  | FitsCheck;

type Table = { readonly [K in Check['kind']]: CheckKind<Extract<Check, { kind: K }>> };

export const CHECK_KINDS: Table = {
  ok,
  errno,
  ret,
  equals,
  matches,
  includes,
  excludes,
  same,
  differ,
  exit,
  compare,
  fits,
};

/** The module of a check's kind, typed for that check. */
export function kindOf<C extends Check>(check: C): CheckKind<C> {
  return CHECK_KINDS[check.kind] as unknown as CheckKind<C>;
}
