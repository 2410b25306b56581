// nsconform list --spec: the checklist, area by area, each id with the claims (and how many cases) that cite it.
import type { CitingClaim } from './citations.ts';
import { claimsById } from './citations.ts';
import type { Checklist } from './load.ts';

function describeEntry(id: string, checklist: Checklist, claims: ReadonlyMap<string, CitingClaim[]>): string[] {
  const entry = checklist.entries.find((candidate) => candidate.id === id)!;
  const citing = claims.get(id) ?? [];
  return [
    `${entry.id}  [${entry.priv.join(',')}]  ${entry.statement}`,
    ...(entry.privDetail ? [`    priv: ${entry.privDetail}`] : []),
    `    kernel: ${entry.kernel}`,
    `    man: ${entry.manPages.join('; ')}`,
    `    seen: ${entry.seen}`,
    ...(entry.deviations.length ? [`    deviations: ${entry.deviations.join(', ')} (spec/deviations.md)`] : []),
    ...citing.map((claim) => `    cited by ${claim.suite} › ${claim.key} (${claim.caseIds.length} case${claim.caseIds.length === 1 ? '' : 's'})`),
    ...(citing.length ? [] : [`    not cited${entry.notCovered ? `: ${entry.notCovered}` : ' by the selected cases'}`]),
  ];
}

export function formatChecklist(checklist: Checklist, claims: readonly CitingClaim[]): string {
  const byId = claimsById(claims);
  const areas = checklist.areas.flatMap((area) => [`${area.area} — ${area.title}`, ...area.entries.flatMap((entry) => describeEntry(entry.id, checklist, byId)), '']);
  const cited = checklist.entries.filter((entry) => byId.has(entry.id)).length;
  return `${areas.join('\n')}${checklist.entries.length} ids, ${cited} cited by the selected cases\n`;
}

/** The JSON form: each entry with the claims citing it and their case ids. */
export function checklistJson(checklist: Checklist, claims: readonly CitingClaim[]): unknown[] {
  const byId = claimsById(claims);
  return checklist.entries.map(({ file: _file, line: _line, ...entry }) => ({
    ...entry,
    claims: (byId.get(entry.id) ?? []).map((claim) => ({ suite: claim.suite, key: claim.key, cases: claim.caseIds })),
  }));
}
