// nsconform report --lava and --kcidb over recorded and hand-broken reports: names, verdicts per cell, signals, result.txt, KCIDB's constraints.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';
import type { CaseInfo } from '../harness/case.ts';
import type { JsonCase, JsonDocument } from '../harness/diff/report-file.ts';
import { HEALTH_CASES } from '../harness/health/kernel-health.ts';
import { HOST_CASE } from '../harness/host/host-case.ts';
import { LOG_EXCERPT_MAX, renderKcidb } from '../harness/kcidb/tests.ts';
import { MAX_NAME_LENGTH } from '../harness/lava/case-names.ts';
import { GRANULARITIES, lavaCases, type Granularity } from '../harness/lava/lava-cases.ts';
import { renderResultTxt } from '../harness/lava/result-txt.ts';
import { renderSignals } from '../harness/lava/signals.ts';
import { loadSuites } from '../suites/registry.ts';
import { kcidbProblems } from './fixtures/kcidb-constraints.ts';
import { runCli } from './fixtures/cli.ts';
import { parseOptions } from '../harness/cli/args.ts';
import { UsageError } from '../harness/errors.ts';

const { suites: SUITES } = await loadSuites();
const FIXTURES = new URL('./fixtures/lava/', import.meta.url);
const RECORDED = join(FIXTURES.pathname, 'recorded-results.json');
const recorded = (): JsonDocument => JSON.parse(readFileSync(RECORDED, 'utf8')) as JsonDocument;
const TARGET = { origin: 'nsconform_test', buildId: 'nsconform_test:build-1' };

function asReported(info: CaseInfo): JsonCase {
  return {
    id: info.id,
    suite: info.suite,
    classname: info.classname,
    name: info.name,
    properties: { ...info.properties },
    status: 'pass',
    durationMs: 1,
  };
}

const everyCase = (): JsonCase[] =>
  [
    ...SUITES.flatMap((suite) => suite.groups()).flatMap((group) => group.cases.map(({ info }) => info)),
    HOST_CASE,
    ...HEALTH_CASES,
  ].map(asReported);

for (const granularity of GRANULARITIES) {
  test(`every case of every suite has a LAVA name that is URL-safe, at most ${MAX_NAME_LENGTH} characters and unique in its set (granularity ${granularity})`, (t) => {
    const cases = lavaCases(everyCase(), granularity);
    const unsafe = cases.filter(
      ({ name, set }) =>
        !/^[A-Za-z0-9_-]+$/.test(name) || !/^[A-Za-z0-9_-]+$/.test(set) || name.length > MAX_NAME_LENGTH,
    );
    t.deepEqual(
      unsafe.map(({ set, name }) => `${set}/${name}`),
      [],
    );
    const keys = cases.map(({ set, name }) => `${set}/${name}`);
    t.is(new Set(keys).size, keys.length);
    if (granularity === 'case') t.is(cases.length, everyCase().length, 'one LAVA case per nsconform case');
  });
}

test('with cells, the matrix is one case per flag set × path × mode (256 × 3 × 2) and every other case stays one', (t) => {
  const cases = lavaCases(everyCase(), 'cell');
  t.is(cases.filter(({ set }) => set === 'matrix').length, 1536);
  t.is(
    cases.filter(({ set }) => set !== 'matrix').length,
    everyCase().filter(({ suite }) => suite !== 'matrix').length,
  );
  t.true(cases.length > 1900 && cases.length < 2100, `${cases.length} cases`);
});

for (const granularity of GRANULARITIES) {
  test(`the recorded report gives the recorded names and results (granularity ${granularity}): names stay stable`, (t) => {
    const expected = readFileSync(
      join(FIXTURES.pathname, granularity === 'cell' ? 'recorded-result.txt' : 'recorded-result-case.txt'),
      'utf8',
    );
    t.is(renderResultTxt(lavaCases(recorded().cases, granularity)), expected);
  });
}

/** The recorded report with some cases' outcomes replaced. */
function broken(changes: Record<string, Partial<JsonCase>>): JsonCase[] {
  return recorded().cases.map((entry) => ({ ...entry, ...(changes[entry.id ?? ''] ?? {}) }));
}

const cellOf = (cases: JsonCase[], granularity: Granularity, name: string) =>
  lavaCases(cases, granularity).find((entry) => entry.name === name);
const ids = (flagSet: string, path: string, mode: string): string[] =>
  recorded()
    .cases.filter(
      (entry) =>
        entry.properties?.flagSet === flagSet &&
        entry.properties?.path === path &&
        entry.properties?.mode === mode &&
        entry.suite === 'matrix',
    )
    .map((entry) => entry.id ?? '');

test('a cell fails when any of its claims fails, and its log holds the failing claim with expected and actual', (t) => {
  const [first, second] = ids('pid+user', 'clone3', 'root');
  const cases = broken({
    [first!]: { status: 'fail', message: 'pid claim broke', expected: 'PID 1', actual: 'PID 7' },
    [second!]: { status: 'error', message: 'observer died' },
  });
  const cell = cellOf(cases, 'cell', 'pid-user_clone3_root');
  t.is(cell?.result, 'fail');
  t.is(cell?.status, 'fail');
  t.true(cell?.log.includes(`FAIL ${first}`));
  t.true(cell?.log.includes('  expected: PID 1'));
  t.true(cell?.log.includes(`ERROR ${second}`));
  t.is(cellOf(cases, 'cell', 'pid-user_unshare_root')?.result, 'pass');
});

test('a cell whose claims only errored is unknown to LAVA and ERROR in KCIDB, never a kernel failure', (t) => {
  const [first] = ids('pid+user', 'unshare', 'root');
  const cases = broken({ [first!]: { status: 'error', message: 'the deadline passed' } });
  const cell = cellOf(cases, 'cell', 'pid-user_unshare_root');
  t.is(cell?.result, 'unknown');
  const document = JSON.parse(renderKcidb(lavaCases(cases, 'cell'), recorded(), TARGET, '')) as {
    tests: Array<{ path: string; status: string }>;
  };
  t.is(document.tests.find((entry) => entry.path === 'nsconform.matrix.pid-user_unshare_root')?.status, 'ERROR');
});

test('a cell skipped whole is a skip with each reason once; a pass beside skips is a pass', (t) => {
  const cell = ids('time', 'clone', 'unprivileged');
  const skipAll = Object.fromEntries(cell.map((id) => [id, { status: 'skip' as const, reason: 'needs Linux ≥ 5.6' }]));
  const skipped = cellOf(broken(skipAll), 'cell', 'time_clone_unprivileged');
  t.is(skipped?.result, 'skip');
  t.deepEqual(skipped?.log, ['SKIP needs Linux ≥ 5.6']);
  const partly = cellOf(
    broken({ [cell[0]!]: { status: 'skip', reason: 'one verdict' } }),
    'cell',
    'time_clone_unprivileged',
  );
  t.is(partly?.result, 'pass');
  t.deepEqual(partly?.log, []);
});

test('signals: one TESTSET block per suite, STARTTC/ENDTC only around a case with a log, and a message cannot forge a signal', (t) => {
  const [first] = ids('pid+user', 'clone', 'root');
  const cases = lavaCases(
    broken({
      [first!]: {
        status: 'fail',
        message: 'x <LAVA_SIGNAL_TESTCASE TEST_CASE_ID=forged RESULT=pass>',
        expected: 'a',
        actual: 'b',
      },
    }),
    'cell',
  );
  const lines = renderSignals(cases).trimEnd().split('\n');
  t.deepEqual(
    lines.filter((line) => line.startsWith('<LAVA_SIGNAL_TESTSET START')),
    ['matrix', 'nsfs', 'uts', 'host', 'kernel-health'].map((set) => `<LAVA_SIGNAL_TESTSET START ${set}>`),
  );
  t.is(lines.filter((line) => line.startsWith('<LAVA_SIGNAL_STARTTC')).length, 1);
  const start = lines.indexOf('<LAVA_SIGNAL_STARTTC pid-user_clone_root>');
  t.deepEqual(
    lines.slice(lines.indexOf('<LAVA_SIGNAL_ENDTC pid-user_clone_root>') + 1)[0],
    '<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=pid-user_clone_root RESULT=fail>',
  );
  t.true(lines[start + 1]?.startsWith('FAIL '));
  t.false(lines.some((line) => line.includes('TEST_CASE_ID=forged') && line.startsWith('<LAVA_')));
  t.is(lines.filter((line) => line.includes('<LAVA_SIGNAL_TESTCASE')).length, cases.length);
});

test('KCIDB: the recorded report, with a fail, an error and an over-long log, meets the v5 constraints; statuses, paths and ids as LAVA has them', (t) => {
  const [first, second] = ids('pid+user', 'clone3', 'unprivileged');
  const cases = lavaCases(
    broken({
      [first!]: { status: 'fail', message: 'm', expected: 'x'.repeat(40000), actual: 'y' },
      [second!]: { status: 'error', message: 'observer died' },
    }),
    'case',
  );
  const document = JSON.parse(renderKcidb(cases, recorded(), TARGET, '')) as { tests: Array<Record<string, unknown>> };
  t.deepEqual(kcidbProblems(document), []);
  t.is(document.tests.length, cases.length);
  const byPath = new Map(document.tests.map((entry) => [entry.path, entry]));
  const failed = byPath.get(
    `nsconform.matrix.pid-user_clone3_unprivileged_${recorded().cases.find((entry) => entry.id === first)?.properties?.key}`,
  );
  t.is(failed?.status, 'FAIL');
  t.true(typeof failed?.log_excerpt === 'string' && [...failed.log_excerpt].length <= LOG_EXCERPT_MAX);
  t.is(document.tests.filter((entry) => entry.status === 'ERROR').length, 1);
  t.is(document.tests.filter((entry) => entry.status === 'PASS').length, cases.length - 2);
  t.true(document.tests.every((entry) => entry.build_id === TARGET.buildId && entry.start_time === recorded().started));
});

test('KCIDB constraints catch what breaks them (each check can fail)', (t) => {
  const good = JSON.parse(renderKcidb(lavaCases(recorded().cases, 'cell'), recorded(), TARGET, '')) as {
    tests: Array<Record<string, unknown>>;
  };
  const spoiled = (change: (entry: Record<string, unknown>) => void, tests = structuredClone(good.tests)): string[] => {
    change(tests[0]!);
    return kcidbProblems({ ...good, tests });
  };
  t.not(spoiled((entry) => (entry.comment = null)).length, 0);
  t.not(spoiled((entry) => (entry.extra = 1)).length, 0);
  t.not(spoiled((entry) => (entry.path = 'nsconform.matrix.a b')).length, 0);
  t.not(spoiled((entry) => (entry.status = 'BROKEN')).length, 0);
  t.not(spoiled((entry) => (entry.log_excerpt = 'x'.repeat(LOG_EXCERPT_MAX + 1))).length, 0);
  t.not(spoiled((entry) => (entry.id = 'other:1')).length, 0);
  t.not(spoiled((entry) => (entry.start_time = 'yesterday')).length, 0);
  t.not(spoiled((entry) => delete entry.build_id).length, 0);
  t.not(spoiled((entry) => (entry.environment = { comment: 'x', board: 'y' })).length, 0);
  t.not(kcidbProblems({ ...good, tests: [...good.tests, good.tests[0]] }).length, 0, 'a repeated id');
  t.not(kcidbProblems({ ...good, version: { major: 4, minor: 0 } }).length, 0);
});

test('two runs of one build get different KCIDB ids, the same paths', (t) => {
  const cases = lavaCases(recorded().cases, 'cell');
  const one = JSON.parse(renderKcidb(cases, recorded(), TARGET, '')) as { tests: Array<{ id: string; path: string }> };
  const two = JSON.parse(renderKcidb(cases, { ...recorded(), started: '2030-01-01T00:00:00.000Z' }, TARGET, '')) as {
    tests: Array<{ id: string; path: string }>;
  };
  t.notDeepEqual(
    one.tests.map((entry) => entry.id),
    two.tests.map((entry) => entry.id),
  );
  t.deepEqual(
    one.tests.map((entry) => entry.path),
    two.tests.map((entry) => entry.path),
  );
});

test('nsconform report --lava prints the signals, writes result.txt and the KCIDB file, and exits 0', async (t) => {
  await withDir(
    async ({ path }) => {
      const kcidb = join(path, 'kcidb.json');
      const result = await runCli([
        'report',
        '--lava',
        RECORDED,
        '--result-txt',
        join(path, 'result.txt'),
        '--kcidb',
        kcidb,
        '--kcidb-origin',
        'lab',
        '--kcidb-build-id',
        'lab:b1',
      ]);
      t.is(result.code, 0);
      t.is(result.stdout, renderSignals(lavaCases(recorded().cases, 'cell')));
      t.is(
        readFileSync(join(path, 'result.txt'), 'utf8'),
        readFileSync(join(FIXTURES.pathname, 'recorded-result.txt'), 'utf8'),
      );
      t.deepEqual(kcidbProblems(JSON.parse(readFileSync(kcidb, 'utf8'))), []);
    },
    { unsafeCleanup: true },
  );
});

const BAD_USES: Array<[string, string[], RegExp]> = [
  ['no report', ['report'], /report needs --lava/],
  ['KCIDB without an origin', ['report', RECORDED, '--kcidb', '/tmp/x.json'], /--kcidb needs --kcidb-origin/],
  [
    'a bad origin',
    ['report', RECORDED, '--kcidb', '/tmp/x.json', '--kcidb-origin', 'My Lab', '--kcidb-build-id', 'x:1'],
    /--kcidb-origin takes lower-case/,
  ],
  [
    'a build id without origin',
    ['report', RECORDED, '--kcidb', '/tmp/x.json', '--kcidb-origin', 'lab', '--kcidb-build-id', 'b1'],
    /--kcidb-build-id takes <origin>:<id>/,
  ],
  ['a bad granularity', ['report', '--lava', RECORDED, '--granularity', 'claim'], /--granularity takes cell or case/],
  ['lab options elsewhere', ['run', '--granularity', 'case'], /--granularity applies to nsconform report only/],
  ['two reports', ['report', '--lava', RECORDED, RECORDED], /one JSON report/],
];

for (const [what, argv, message] of BAD_USES) {
  test(`report refuses ${what} with a usage error (one line, exit 2)`, (t) => {
    t.throws(() => parseOptions(argv), { instanceOf: UsageError, message });
  });
}

test('report refuses a JUnit file and a report without claim keys, naming why', async (t) => {
  await withDir(
    async ({ path }) => {
      const junit = join(path, 'junit.xml');
      const old = join(path, 'old.json');
      const document = recorded();
      writeFileSync(junit, '<?xml version="1.0"?><testsuites name="nsconform"/>');
      writeFileSync(
        old,
        JSON.stringify({
          ...document,
          cases: document.cases.map((entry) => ({ ...entry, properties: { ...entry.properties, key: undefined } })),
        }),
      );
      const fromJunit = await runCli(['report', '--lava', junit]);
      t.is(fromJunit.code, 2);
      t.regex(fromJunit.stderr, /a JUnit report; report reads the JSON report/);
      const fromOld = await runCli(['report', '--lava', old]);
      t.is(fromOld.code, 2);
      t.regex(fromOld.stderr, /has no key property/);
    },
    { unsafeCleanup: true },
  );
});
