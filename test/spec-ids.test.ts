// Every spec id a case cites exists in the shared checklist.
import { existsSync, readFileSync } from 'node:fs';
import test from 'ava';
import { SUITES } from '../suites/index.ts';

const SPEC = new URL('../../shared/spec/namespaces.md', import.meta.url);

test('cited spec ids are in ../shared/spec/namespaces.md', (t) => {
  const cited = new Set(SUITES.flatMap((suite) => suite.groups().flatMap((group) => group.cases.flatMap(({ info }) => info.specIds))));
  t.true(cited.size > 10);
  for (const id of cited) t.regex(id, /^[A-Z]+-\d\d$/);
  if (!existsSync(SPEC)) return t.log('spec checklist not beside the checkout; checked the id format only');
  const spec = readFileSync(SPEC, 'utf8');
  for (const id of cited) t.true(spec.includes(`**${id}**`), `${id} is not in the spec`);
});
