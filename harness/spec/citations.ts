// Which claims cite which checklist ids, read from the cases the suites build (a claim = suite + claim key, or its sentence in the matrix).
import type { CaseInfo } from '../case.ts';

export interface CitingClaim {
  readonly suite: string;
  /** The claim's key (its fixture key), or for matrix claims the sentence. */
  readonly key: string;
  readonly specIds: readonly string[];
  /** Ids of the cases that run it (flag sets, paths, modes). */
  readonly caseIds: readonly string[];
}

export function citingClaims(cases: readonly CaseInfo[]): CitingClaim[] {
  const claims = new Map<string, { suite: string; key: string; specIds: Set<string>; caseIds: string[] }>();
  for (const info of cases) {
    // A matrix claim's key covers sentences that differ by flag set (with or without the kind): cited by sentence.
    const key = info.suite === 'matrix' ? info.claim : (info.properties.key ?? info.claim);
    const name = `${info.suite} › ${key}`;
    const claim = claims.get(name) ?? { suite: info.suite, key, specIds: new Set<string>(), caseIds: [] };
    claims.set(name, claim);
    for (const id of info.specIds) claim.specIds.add(id);
    claim.caseIds.push(info.id);
  }
  return [...claims.values()].map((claim) => ({ ...claim, specIds: [...claim.specIds] }));
}

/** id → the claims citing it, in suite order. */
export function claimsById(claims: readonly CitingClaim[]): Map<string, CitingClaim[]> {
  const byId = new Map<string, CitingClaim[]>();
  for (const claim of claims) for (const id of claim.specIds) byId.set(id, [...(byId.get(id) ?? []), claim]);
  return byId;
}
