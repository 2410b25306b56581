// nsconform diff: reading both report formats and ordering what changed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';
import { compareRuns } from '../harness/diff/compare.ts';
import { readReport, type ReportedCase, type ReportedRun } from '../harness/diff/report-file.ts';
import { UsageError } from '../harness/errors.ts';

function run(entries: Record<string, ReportedCase>): ReportedRun {
  return { path: 'x', kernel: 'k', cases: new Map(Object.entries(entries)) };
}

const pass = { status: 'pass', detail: '' } as const;
const fail = { status: 'fail', detail: 'expected pid 1; got pid 2' } as const;
const skip = (detail: string) => ({ status: 'skip', detail }) as const;

test('changes are classified and regressions come first', (t) => {
  const before = run({ a: pass, b: fail, c: skip('no root'), d: pass, e: pass, f: skip('x') });
  const after = run({ a: fail, b: pass, c: skip('no clone3'), d: pass, e: skip('no root'), g: fail, f: { status: 'error', detail: 'timed out' } });
  const changes = compareRuns(before, after).map((change) => `${change.kind}:${change.key}`);
  t.deepEqual(changes, ['regression:a', 'new failure:f', 'new failure:g', 'fixed:b', 'skip reason changed:c', 'now skipped:e']);
});

test('identical runs have no changes', (t) => {
  const same = run({ a: pass, b: skip('r') });
  t.deepEqual(compareRuns(same, same), []);
});

test('JUnit and JSON reports of the same run read the same', async (t) => {
  await withDir(
    ({ path }) => {
      const xml = `<?xml version="1.0"?><testsuites><testsuite name="matrix"><properties><property name="kernel.release" value="6.1.0-9"/></properties>
        <testcase classname="matrix.clone3.root" name="pid › a"/>
        <testcase classname="matrix.clone3.root" name="pid › b"><failure message="boom"/></testcase>
        <testcase classname="matrix.clone3.root" name="pid › c"><skipped message="needs root"/></testcase>
      </testsuite></testsuites>`;
      const json = { format: 'nsconform-results/1', environment: { 'kernel.release': '6.1.0-9' }, cases: [
        { classname: 'matrix.clone3.root', name: 'pid › a', status: 'pass' },
        { classname: 'matrix.clone3.root', name: 'pid › b', status: 'fail', message: 'boom' },
        { classname: 'matrix.clone3.root', name: 'pid › c', status: 'skip', reason: 'needs root' },
      ] };
      writeFileSync(join(path, 'a.xml'), xml);
      writeFileSync(join(path, 'a.json'), JSON.stringify(json));
      const fromXml = readReport(join(path, 'a.xml'));
      const fromJson = readReport(join(path, 'a.json'));
      t.is(fromXml.kernel, '6.1.0-9');
      t.deepEqual([...fromXml.cases], [...fromJson.cases]);
      t.deepEqual(compareRuns(fromXml, fromJson), []);
      writeFileSync(join(path, 'bad.json'), '{"hello": 1}');
      t.throws(() => readReport(join(path, 'bad.json')), { instanceOf: UsageError, message: /not an nsconform JSON results file/ });
      t.throws(() => readReport(join(path, 'missing.xml')), { instanceOf: UsageError, message: /cannot read report .*ENOENT/ });
      return Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});
