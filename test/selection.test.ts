// Selection for CI loops: --exclude, --rerun-failed from a report, --repeat with flaky detection.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';
import type { CaseResult, RunContext } from '../harness/case.ts';
import { parseOptions } from '../harness/cli/args.ts';
import { UsageError } from '../harness/errors.ts';
import { RunEvents } from '../harness/run/events.ts';
import { filterGroups } from '../harness/run/filter.ts';
import { mergeAttempts, runRepeated } from '../harness/run/repeat.ts';
import { failedCaseIds } from '../harness/run/rerun.ts';
import { makeGroup, makeInfo } from './fixtures/cases.ts';
import { makeEnvironment } from './fixtures/environment.ts';
import { loadSuites } from '../suites/registry.ts';

const { matrix: matrixSuite } = await loadSuites();

const ALL = { only: [], modes: ['root', 'unprivileged'], paths: ['clone3', 'unshare', 'clone'] };
const idsOf = (filter: Parameters<typeof filterGroups>[1]): string[] =>
  filterGroups(matrixSuite.groups(), filter).flatMap((group) => group.cases.map(({ info }) => info.id));

test('--exclude leaves out matching ids after --only, and may repeat', (t) => {
  const only = idsOf({ ...ALL, only: ['matrix › pid › *'] });
  const kept = idsOf({ ...ALL, only: ['matrix › pid › *'], exclude: ['*[clone, *', '*, unprivileged]'] });
  t.true(kept.length > 0);
  t.is(kept.length, only.filter((id) => !id.includes('[clone, ') && !id.endsWith(', unprivileged]')).length);
  t.throws(() => idsOf({ ...ALL, only: ['matrix › pid › *'], exclude: ['*'] }), {
    instanceOf: UsageError,
    message: /no case matches --only "matrix › pid › \*" --exclude "\*"/,
  });
  t.deepEqual(parseOptions(['--exclude', 'a*', '--exclude', 'b*']).exclude, ['a*', 'b*']);
  t.throws(() => parseOptions(['--exclude', ' ']), {
    instanceOf: UsageError,
    message: /--exclude takes a non-empty glob/,
  });
});

test('--ktap alone means reports/ktap.txt; --repeat takes a whole number from 1', (t) => {
  t.is(parseOptions(['--ktap']).ktap, 'reports/ktap.txt');
  t.is(parseOptions(['--ktap', '--only', 'x']).ktap, 'reports/ktap.txt');
  t.is(parseOptions(['--ktap', 'k.txt']).ktap, 'k.txt');
  t.is(parseOptions([]).ktap, null);
  t.is(parseOptions(['--repeat', '5']).repeat, 5);
  t.is(parseOptions([]).repeat, 1);
  t.throws(() => parseOptions(['--repeat', '0']), {
    instanceOf: UsageError,
    message: /--repeat must be between 1 and 1000/,
  });
});

test('--rerun-failed selects the failed and errored cases of a JSON or a JUnit report', async (t) => {
  await withDir(
    ({ path }) => {
      const [a, b, c] = idsOf({ ...ALL, only: ['matrix › pid › *'] }) as [string, string, string];
      const json = join(path, 'r.json');
      writeFileSync(
        json,
        JSON.stringify({
          format: 'nsconform-results/1',
          summary: { totals: { pass: 1, fail: 1, skip: 0, error: 1 } },
          cases: [
            { id: a, classname: 'x', name: 'y', status: 'pass' },
            { id: b, classname: 'x', name: 'y', status: 'fail', message: 'm' },
            { id: c, classname: 'x', name: 'y', status: 'error', message: 'm' },
          ],
        }),
      );
      const fromJson = failedCaseIds(json);
      t.deepEqual([...fromJson], [b, c]);
      t.deepEqual(idsOf({ ...ALL, ids: fromJson }), [b, c]);
      const xml = join(path, 'r.xml');
      const name = (id: string): string => id.replace(/^matrix › /, '');
      writeFileSync(
        xml,
        `<testsuites name="nsconform"><testsuite name="matrix" tests="3"><testcase name="${name(a)}"/><testcase name="${name(b)}"><failure message="m"/></testcase><testcase name="${name(c)}"><error message="m"/></testcase></testsuite></testsuites>`,
      );
      t.deepEqual([...failedCaseIds(xml)], [b, c]);
      return Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});

const pass = (ms: number): CaseResult => ({ info: makeInfo('a'), outcome: { status: 'pass', durationMs: ms } });
const fail = (ms: number): CaseResult => ({
  info: makeInfo('a'),
  outcome: { status: 'fail', durationMs: ms, message: 'claim a — expected 1; got 2', expected: '1', actual: '2' },
});

test('attempts merge into one case: all passing is a pass, mixed is flaky, all failing is a failure', (t) => {
  const green = mergeAttempts([pass(1), pass(2)]);
  t.deepEqual(
    [green.outcome, green.attempts, green.flaky],
    [{ status: 'pass', durationMs: 3 }, ['pass', 'pass'], false],
  );
  const flaky = mergeAttempts([pass(1), fail(1), pass(1)]);
  t.true(flaky.flaky);
  t.deepEqual(flaky.attempts, ['pass', 'fail', 'pass']);
  t.is(flaky.outcome.status, 'fail');
  t.is(
    flaky.outcome.status === 'fail' ? flaky.outcome.message : '',
    'flaky over 3 runs (pass 2, fail 1): claim a — expected 1; got 2',
  );
  const red = mergeAttempts([fail(1), fail(1)]);
  t.false(red.flaky);
  t.regex(red.outcome.status === 'fail' ? red.outcome.message : '', /^in every one of 2 runs: /);
});

test('runRepeated observes every group N times and reports each case once', async (t) => {
  let observations = 0;
  let answer = 0;
  const group = makeGroup('g', () => Promise.resolve({ ok: true, observation: ((observations += 1), answer++ % 2) }), [
    {
      name: 'is one',
      judge: (value) => (value === 1 ? { pass: true } : { pass: false, expected: '1', actual: String(value) }),
    },
  ]);
  const events = new RunEvents();
  const seen: CaseResult[] = [];
  events.on('case', (result) => seen.push(result));
  const context = {
    env: makeEnvironment(),
    pool: null,
    scratchDir: '/nonexistent',
    timeoutMs: 1000,
  } as unknown as RunContext;
  const results = await runRepeated([group], context, events, 4);
  t.is(observations, 4);
  t.is(seen.length, 1);
  t.deepEqual(results[0]!.attempts, ['fail', 'pass', 'fail', 'pass']);
  t.true(results[0]!.flaky);
});
