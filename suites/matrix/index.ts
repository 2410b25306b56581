// suites/matrix: every combination of the eight flags, through every creation path, in both privilege modes.
import { caseInfo } from '../../harness/case-info.ts';
import type { CaseInfo, ObservationGroup, Suite } from '../../harness/case.ts';
import { CREATION_PATHS } from '../../harness/creation-path.ts';
import { allFlagSets } from '../../harness/flag-set.ts';
import { PRIVILEGE_MODES } from '../../harness/privilege-mode.ts';
import type { MatrixClaim } from './claim.ts';
import { variantNeeds } from './needs.ts';
import { observeVariant, type MatrixObservation } from './observation.ts';
import { decidingClaim, judgedOnce, passesUncreatable } from './uncreatable.ts';
import type { MatrixVariant } from './variant.ts';

const SUITE = 'matrix';

export function allVariants(): MatrixVariant[] {
  return PRIVILEGE_MODES.flatMap((mode) =>
    CREATION_PATHS.flatMap((path) => allFlagSets().map((flagSet) => ({ flagSet, path, mode: mode.name }))),
  );
}

export function caseInfoOf(variant: MatrixVariant, claim: MatrixClaim): CaseInfo {
  const flagSet = variant.flagSet.name;
  const run = [variant.path.name, variant.mode];
  const needs = [...variantNeeds(variant), ...(claim.needs?.(variant) ?? [])];
  const properties = { flagSet, path: variant.path.name, mode: variant.mode, key: claim.key };
  return caseInfo({
    suite: SUITE,
    flagSet,
    claim: claim.sentence(variant),
    run,
    specIds: claim.specIds(variant),
    manPage: claim.manPage(variant),
    needs,
    properties,
  });
}

/** On a set the path cannot create, the deciding claim another claim defers to once the call is refused. */
function oneVerdictFor(claims: readonly MatrixClaim[], variant: MatrixVariant, claim: MatrixClaim): MatrixClaim | null {
  if (!passesUncreatable(variant)) return null;
  const decider = claims.find((other) => other.key === decidingClaim(variant) && other.appliesTo(variant));
  return decider && decider !== claim ? decider : null;
}

function groupOf(claims: readonly MatrixClaim[], variant: MatrixVariant): ObservationGroup<MatrixObservation> {
  return {
    key: `${SUITE}:${variant.flagSet.name}:${variant.path.name}:${variant.mode}`,
    cases: claims
      .filter((claim) => claim.appliesTo(variant))
      .map((claim) => ({
        info: caseInfoOf(variant, claim),
        judge: claim.judge,
        ...(oneVerdictFor(claims, variant, claim)
          ? { skipOn: judgedOnce(variant, oneVerdictFor(claims, variant, claim)!.sentence(variant)) }
          : {}),
      })),
    observe: (context) => observeVariant(variant, context),
  };
}

/** The matrix over the claims of suites/matrix/claims/, as the registry found them. */
export function matrixSuite(description: string, claims: readonly MatrixClaim[]): Suite {
  return {
    name: SUITE,
    description,
    groups: () => allVariants().map((variant) => groupOf(claims, variant) as ObservationGroup),
  };
}
