// Which matrix claim a case belongs to, from its sentence: the HTML report draws one grid per claim.
import type { CaseInfo } from '../../harness/case.ts';
import type { MatrixClaim } from './claim.ts';
import { allVariants } from './index.ts';

/** The claim key ("pid", "refusal") of a matrix case, or null for other suites. */
export function matrixFamilies(claims: readonly MatrixClaim[]): (info: CaseInfo) => string | null {
  let bySentence: Map<string, string> | null = null;
  return (info) => {
    if (info.suite !== 'matrix') return null;
    if (!bySentence) {
      bySentence = new Map();
      for (const variant of allVariants()) {
        for (const claim of claims)
          if (!bySentence.has(claim.sentence(variant))) bySentence.set(claim.sentence(variant), claim.key);
      }
    }
    return bySentence.get(info.claim) ?? null;
  };
}
