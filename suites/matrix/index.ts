// suites/matrix: every combination of the eight flags, through every creation path, in both privilege modes.
import type { CaseInfo, ObservationGroup, Suite } from '../../harness/case.ts';
import { CREATION_PATHS } from '../../harness/creation-path.ts';
import { allFlagSets } from '../../harness/flag-set.ts';
import { PRIVILEGE_MODES } from '../../harness/privilege-mode.ts';
import type { MatrixClaim } from './claim.ts';
import { MATRIX_CLAIMS } from './claims/index.ts';
import { needsOf } from './needs.ts';
import { observeVariant, type MatrixObservation } from './observation.ts';
import { decidingClaim, judgedOnce, passesUncreatable } from './uncreatable.ts';
import type { MatrixVariant } from './variant.ts';

const SUITE = 'matrix';

export function allVariants(): MatrixVariant[] {
  return PRIVILEGE_MODES.flatMap((mode) => CREATION_PATHS.flatMap((path) => allFlagSets().map((flagSet) => ({ flagSet, path, mode: mode.name }))));
}

export function caseInfoOf(variant: MatrixVariant, claim: MatrixClaim): CaseInfo {
  const sentence = claim.sentence(variant);
  const name = `${variant.flagSet.name} › ${sentence}`;
  return {
    id: `${SUITE} › ${name} [${variant.path.name}, ${variant.mode}]`,
    suite: SUITE,
    classname: `${SUITE}.${variant.path.name}.${variant.mode}`,
    name,
    claim: sentence,
    specIds: claim.specIds(variant),
    manPage: claim.manPage(variant),
    needs: [...needsOf(variant), ...(claim.needs?.(variant) ?? [])],
    serial: false,
    properties: { flagSet: variant.flagSet.name, path: variant.path.name, mode: variant.mode, key: claim.key },
  };
}

/** On a set the path cannot create, the deciding claim another claim defers to once the call is refused. */
function oneVerdictFor(variant: MatrixVariant, claim: MatrixClaim): MatrixClaim | null {
  if (!passesUncreatable(variant)) return null;
  const decider = MATRIX_CLAIMS.find((other) => other.key === decidingClaim(variant) && other.appliesTo(variant));
  return decider && decider !== claim ? decider : null;
}

function groupOf(variant: MatrixVariant): ObservationGroup<MatrixObservation> {
  return {
    key: `${SUITE}:${variant.flagSet.name}:${variant.path.name}:${variant.mode}`,
    cases: MATRIX_CLAIMS.filter((claim) => claim.appliesTo(variant)).map((claim) => ({
      info: caseInfoOf(variant, claim),
      judge: claim.judge,
      ...(oneVerdictFor(variant, claim) ? { skipOn: judgedOnce(variant, oneVerdictFor(variant, claim)!.sentence(variant)) } : {}),
    })),
    observe: (context) => observeVariant(variant, context),
  };
}

export const matrixSuite: Suite = {
  name: SUITE,
  description: 'every combination of the eight CLONE_NEW* flags, through clone3, unshare + fork and legacy clone, as root and unprivileged',
  groups: () => allVariants().map((variant) => groupOf(variant) as ObservationGroup),
};
