// Every spec id a case cites is in the checklist (spec/); every checklist id is cited or says why it is not.
import test from 'ava';
import { loadChecklist } from '../harness/spec/load.ts';
import { loadSuites } from '../suites/registry.ts';

const { suites: SUITES } = await loadSuites();

const checklist = loadChecklist();
const cited = new Set(
  SUITES.flatMap((suite) => suite.groups().flatMap((group) => group.cases.flatMap(({ info }) => info.specIds))),
);

test('every cited spec id is an entry of spec/', (t) => {
  t.true(cited.size > 200);
  const known = new Set(checklist.entries.map((entry) => entry.id));
  t.deepEqual(
    [...cited].filter((id) => !known.has(id)),
    [],
  );
});

test('every entry of spec/ is cited, or is listed as not covered with a reason', (t) => {
  t.deepEqual(
    checklist.entries.filter((entry) => !cited.has(entry.id) && !entry.notCovered).map((entry) => entry.id),
    [],
  );
});

test('an entry listed as not covered is not cited (the reason would be stale)', (t) => {
  const uncovered = checklist.entries.filter((entry) => entry.notCovered).map((entry) => entry.id);
  t.deepEqual(uncovered, ['CLONE-06', 'NET-09', 'CG-05']);
  t.deepEqual(
    uncovered.filter((id) => cited.has(id)),
    [],
  );
});
