// nsconform list: every selected case (--only, --exclude, --rerun-failed apply) with its claim, spec ids and needs.
import { describeNeed } from '../needs/index.ts';
import { filterGroups } from '../run/filter.ts';
import { failedCaseIds } from '../run/rerun.ts';
import { SUITES } from '../../suites/index.ts';
import type { Options } from './args.ts';

export function listCases(options: Options): number {
  const ids = options.rerunFailed === null ? null : failedCaseIds(options.rerunFailed);
  const groups = filterGroups(SUITES.flatMap((suite) => suite.groups()), { ...options, ids });
  const cases = groups.flatMap((group) => group.cases.map(({ info }) => info));
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
