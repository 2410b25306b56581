// nsconform diff: reading both report formats and ordering what changed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';
import { compareRuns } from '../harness/diff/compare.ts';
import { readReport, type ReportedCase, type ReportedRun } from '../harness/diff/report-file.ts';
import { UsageError } from '../harness/errors.ts';
import { runCli } from './fixtures/cli.ts';

function run(entries: Record<string, ReportedCase>): ReportedRun {
  return { path: 'x', kernel: 'k', cases: new Map(Object.entries(entries)) };
}

const pass = { status: 'pass', detail: '' } as const;
const fail = { status: 'fail', detail: 'expected pid 1; got pid 2' } as const;
const skip = (detail: string) => ({ status: 'skip', detail }) as const;

test('changes are classified and regressions come first', (t) => {
  const before = run({ a: pass, b: fail, c: skip('no root'), d: pass, e: pass, f: skip('x') });
  const after = run({
    a: fail,
    b: pass,
    c: skip('no clone3'),
    d: pass,
    e: skip('no root'),
    g: fail,
    f: { status: 'error', detail: 'timed out' },
  });
  const changes = compareRuns(before, after).map((change) => `${change.kind}:${change.key}`);
  t.deepEqual(changes, [
    'regression:a',
    'new failure:f',
    'new failure:g',
    'fixed:b',
    'skip reason changed:c',
    'now skipped:e',
  ]);
});

test('identical runs have no changes', (t) => {
  const same = run({ a: pass, b: skip('r') });
  t.deepEqual(compareRuns(same, same), []);
});

const JUNIT = `<?xml version="1.0"?><testsuites name="nsconform"><testsuite name="matrix" tests="3"><properties><property name="kernel.release" value="6.1.0-9"/></properties>
        <testcase classname="matrix.clone3.root" name="pid › a [clone3, root]"/>
        <testcase classname="matrix.clone3.root" name="pid › b [clone3, root]"><failure message="boom"/></testcase>
        <testcase classname="matrix.clone3.root" name="pid › c [clone3, root]"><skipped>needs root</skipped></testcase>
      </testsuite></testsuites>`;

const JSON_REPORT = {
  format: 'nsconform-results/1',
  environment: { 'kernel.release': '6.1.0-9' },
  summary: { totals: { pass: 1, fail: 1, skip: 1, error: 0 } },
  cases: [
    {
      id: 'matrix › pid › a [clone3, root]',
      classname: 'matrix.clone3.root',
      name: 'pid › a [clone3, root]',
      status: 'pass',
    },
    {
      id: 'matrix › pid › b [clone3, root]',
      classname: 'matrix.clone3.root',
      name: 'pid › b [clone3, root]',
      status: 'fail',
      message: 'boom',
    },
    {
      id: 'matrix › pid › c [clone3, root]',
      classname: 'matrix.clone3.root',
      name: 'pid › c [clone3, root]',
      status: 'skip',
      reason: 'needs root',
    },
  ],
};

test('JUnit and JSON reports of the same run read the same, keyed by case id', async (t) => {
  await withDir(
    ({ path }) => {
      writeFileSync(join(path, 'a.xml'), JUNIT);
      writeFileSync(join(path, 'a.json'), JSON.stringify(JSON_REPORT));
      const fromXml = readReport(join(path, 'a.xml'));
      const fromJson = readReport(join(path, 'a.json'));
      t.is(fromXml.kernel, '6.1.0-9');
      t.deepEqual(
        [...fromXml.cases.keys()],
        ['matrix › pid › a [clone3, root]', 'matrix › pid › b [clone3, root]', 'matrix › pid › c [clone3, root]'],
      );
      t.deepEqual([...fromXml.cases], [...fromJson.cases]);
      t.is(fromXml.cases.get('matrix › pid › c [clone3, root]')?.detail, 'needs root');
      t.deepEqual(compareRuns(fromXml, fromJson), []);
      t.throws(() => readReport(join(path, 'missing.xml')), {
        instanceOf: UsageError,
        message: /cannot read report .*ENOENT/,
      });
      return Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});

const REFUSED: Array<[string, string, RegExp]> = [
  ['a JUnit file cut short', JUNIT.slice(0, JUNIT.indexOf('<testcase', 200)), /not well-formed XML .*truncated\?/],
  [
    'a JUnit file cut at a case boundary and closed',
    JUNIT.replace(/<testcase[^>]*name="pid › a[^>]*\/>/, ''),
    /says tests="3" but holds 2 cases/,
  ],
  [
    'a JUnit file from another tool',
    '<testsuites><testsuite name="x" tests="1"><testcase name="y"/></testsuite></testsuites>',
    /not one nsconform wrote/,
  ],
  ['a JSON file cut short', JSON.stringify(JSON_REPORT).slice(0, 150), /not valid JSON .*truncated\?/],
  [
    'a JSON file missing cases its summary counts',
    JSON.stringify({ ...JSON_REPORT, cases: JSON_REPORT.cases.slice(1) }),
    /summary counts 3 cases but it lists 2/,
  ],
  ['a foreign JSON file', '{"hello": 1}', /not an nsconform JSON results file/],
  ['an empty file', '', /empty file/],
];

for (const [what, content, message] of REFUSED) {
  test(`diff refuses ${what} with one line and exit 2`, async (t) => {
    await withDir(
      async ({ path }) => {
        const good = join(path, 'good.json');
        const bad = join(path, 'bad');
        writeFileSync(good, JSON.stringify(JSON_REPORT));
        writeFileSync(bad, content);
        t.throws(() => readReport(bad), { instanceOf: UsageError, message });
        const { code, stdout, stderr } = await runCli(['diff', good, bad]);
        t.is(code, 2);
        t.is(stdout, '');
        t.regex(stderr, /^nsconform: [^\n]+\n$/);
      },
      { unsafeCleanup: true },
    );
  });
}
