// What a spec claim and a harness claim both say about themselves: the case's sentence, flag set, citations and needs.
import { caseInfo } from '../case-info.ts';
import type { CaseInfo } from '../case.ts';
import { flagSetOf } from '../flag-set.ts';
import type { NamespaceName } from '../namespaces.ts';
import type { Need } from '../needs/index.ts';

export interface ClaimBase {
  /** Unique within its suite; stable, used by tests and fixtures. */
  readonly key: string;
  /** The namespace kinds the claim is about: the case's flag set. */
  readonly kinds: readonly NamespaceName[];
  /** The claim as a sentence; where the kernel differs from the man page, it says so. */
  readonly claim: string;
  readonly specIds: readonly string[];
  readonly manPage: string;
  readonly needs?: readonly Need[];
}

/** The case of a claim run one way ("root", "harness"): its properties name the flag set first, then `rest`. */
export function claimCaseInfo(
  suite: string,
  claim: ClaimBase,
  run: string,
  needs: readonly Need[],
  rest: Readonly<Record<string, string>>,
  serial?: boolean,
): CaseInfo {
  const flagSet = flagSetOf(claim.kinds).name;
  const { specIds, manPage } = claim;
  return caseInfo({
    suite,
    flagSet,
    claim: claim.claim,
    run: [run],
    specIds,
    manPage,
    needs,
    serial,
    properties: { flagSet, ...rest },
  });
}
