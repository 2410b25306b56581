// Command-line parsing and case filters: good input gives options, bad input one UsageError sentence.
import test from 'ava';
import { parseOptions } from '../harness/cli/args.ts';
import { checkReportPath } from '../harness/cli/report-path.ts';
import { UsageError } from '../harness/errors.ts';
import { filterGroups, globToRegExp } from '../harness/run/filter.ts';
import { loadSuites } from '../suites/registry.ts';

const { matrix: matrixSuite } = await loadSuites();

test('defaults: run both modes and all paths, reports under reports/', (t) => {
  const options = parseOptions([]);
  t.is(options.command, 'run');
  t.deepEqual(options.modes, ['root', 'unprivileged']);
  t.deepEqual(options.paths, ['clone3', 'unshare', 'clone']);
  t.is(options.junit, 'reports/junit.xml');
  t.is(options.json, 'reports/results.json');
  t.is(options.timeoutMs, 10000);
});

test('options are read as given', (t) => {
  const options = parseOptions([
    'run',
    '--mode',
    'unprivileged',
    '--path',
    'clone3,clone',
    '--only',
    'matrix › pid*',
    '--only',
    '*time*',
    '--concurrency',
    '3',
    '--timeout',
    '500',
    '--junit',
    'x.xml',
    '--json',
    'y.json',
  ]);
  t.deepEqual(options.modes, ['unprivileged']);
  t.deepEqual(options.paths, ['clone3', 'clone']);
  t.deepEqual(options.only, ['matrix › pid*', '*time*']);
  t.is(options.concurrency, 3);
  t.is(options.timeoutMs, 500);
  t.is(options.junit, 'x.xml');
  t.is(options.json, 'y.json');
  t.false(options.jsonOutput);
});

test('list --json prints JSON', (t) => {
  const options = parseOptions(['list', '--json']);
  t.is(options.command, 'list');
  t.true(options.jsonOutput);
});

const BAD: Array<[string[], RegExp]> = [
  [['--mode', 'admin'], /--mode takes root, unprivileged, both, not "admin"/],
  [['--path', 'fork'], /--path takes clone3, unshare, clone, all, not "fork"/],
  [['--concurrency', '0'], /--concurrency must be between 1 and 64/],
  [['--concurrency', 'two'], /--concurrency takes a whole number/],
  [['--timeout', '-5'], /--timeout/],
  [['--frobnicate'], /Unknown option '--frobnicate'/],
  [['explode'], /unknown command "explode"/],
  [['run', 'list'], /one command at a time/],
  [['--only', ''], /--only takes a non-empty glob/],
];

for (const [argv, message] of BAD) {
  test(`bad input ${JSON.stringify(argv)} is one usage error`, (t) => {
    const error = t.throws(() => parseOptions(argv), { instanceOf: UsageError });
    t.regex(error?.message ?? '', message);
    t.notRegex(error?.message ?? '', /\n/);
  });
}

test('report paths must be files in existing writable directories', (t) => {
  t.throws(() => checkReportPath('--junit', '/nonexistent-dir/junit.xml'), {
    instanceOf: UsageError,
    message: /directory \/nonexistent-dir does not exist/,
  });
  t.throws(() => checkReportPath('--junit', '/tmp'), { instanceOf: UsageError, message: /is a directory/ });
  t.is(checkReportPath('--json', '/tmp/nsconform-test.json'), '/tmp/nsconform-test.json');
});

test('globs match whole case ids, * and ? only', (t) => {
  t.true(globToRegExp('matrix › pid+user › *').test('matrix › pid+user › the child is pid 1 [clone3, root]'));
  t.false(globToRegExp('matrix › pid › *').test('matrix › pid+user › x'));
  t.true(globToRegExp('*[clone?, root]').test('matrix › x [clone3, root]'));
  t.false(globToRegExp('a.c').test('abc'));
});

test('filters keep matching cases and refuse to select nothing', (t) => {
  const groups = filterGroups(matrixSuite.groups(), {
    only: ['matrix › pid+user › *'],
    modes: ['root'],
    paths: ['unshare'],
  });
  const ids = groups.flatMap((group) => group.cases.map(({ info }) => info.id));
  t.is(ids.length, 8);
  t.true(ids.every((id) => id.endsWith('[unshare, root]')));
  t.throws(() => filterGroups(matrixSuite.groups(), { only: ['nothing'], modes: ['root'], paths: ['clone3'] }), {
    instanceOf: UsageError,
    message: /no case matches --only "nothing"/,
  });
});
