// nsconform list: every selected case (--only, --exclude, --rerun-failed apply) with its claim, spec ids and needs;
// with --spec, the checklist and the cases citing each id.
import { describeNeed } from '../needs/index.ts';
import { filterGroups } from '../run/filter.ts';
import { failedCaseIds } from '../run/rerun.ts';
import type { SuiteRegistry } from '../registry/suite-registry.ts';
import type { Options } from './args.ts';
import { citingClaims } from '../spec/citations.ts';
import { loadChecklist } from '../spec/load.ts';
import { checklistJson, formatChecklist } from '../spec/print.ts';
import type { CaseInfo } from '../case.ts';

function listSpec(cases: readonly CaseInfo[], json: boolean): number {
  const checklist = loadChecklist();
  const claims = citingClaims(cases);
  process.stdout.write(
    json ? `${JSON.stringify(checklistJson(checklist, claims), null, 1)}\n` : formatChecklist(checklist, claims),
  );
  return 0;
}

export function listCases(options: Options, registry: SuiteRegistry): number {
  const ids = options.rerunFailed === null ? null : failedCaseIds(options.rerunFailed);
  const groups = filterGroups(
    registry.suites.flatMap((suite) => suite.groups()),
    { ...options, ids },
  );
  const cases = groups.flatMap((group) => group.cases.map(({ info }) => info));
  if (options.spec) return listSpec(cases, options.jsonOutput);
  if (options.jsonOutput) {
    const entries = cases.map((info) => ({
      id: info.id,
      suite: info.suite,
      claim: info.claim,
      specIds: info.specIds,
      manPage: info.manPage,
      needs: info.needs.map(describeNeed),
      serial: info.serial,
      properties: info.properties,
    }));
    process.stdout.write(`${JSON.stringify(entries, null, 1)}\n`);
    return 0;
  }
  process.stdout.write(cases.map((info) => `${info.id}  (${info.specIds.join(', ')})`).join('\n'));
  process.stdout.write(`\n${cases.length} cases\n`);
  return 0;
}
