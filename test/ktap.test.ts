// The KTAP report, parsed back: one subtest block per suite, the run's counts, reasons and diagnostics.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';
import type { CaseResult } from '../harness/case.ts';
import { KtapReporter, renderKtap } from '../harness/report/ktap.ts';
import { RunEvents } from '../harness/run/events.ts';
import { summarize } from '../harness/run/summary.ts';
import { makeEnvironment } from './fixtures/environment.ts';
import { makeInfo } from './fixtures/cases.ts';
import { ktapCounts, parseKtap } from './fixtures/ktap-parser.ts';

const RESULTS: CaseResult[] = [
  { info: makeInfo('passes'), outcome: { status: 'pass', durationMs: 2 } },
  {
    info: makeInfo('fails'),
    outcome: {
      status: 'fail',
      durationMs: 3,
      message: 'claim fails — expected pid 1; got pid 2',
      expected: 'pid 1',
      actual: 'pid 2\nand more',
    },
  },
  { info: makeInfo('skips'), outcome: { status: 'skip', reason: 'needs real root: the runner is uid 1000' } },
  {
    info: makeInfo('errors', { id: 'other › errors [clone3, root]', suite: 'other' }),
    outcome: { status: 'error', durationMs: 1, message: 'timed out after 10000 ms' },
  },
  {
    info: makeInfo('only skip', { id: 'third › only skip [clone3, root]', suite: 'third' }),
    outcome: { status: 'skip', reason: 'no clone3' },
  },
];

test("the KTAP report parses back with one block per suite and the run's counts", async (t) => {
  await withDir(
    async ({ path }) => {
      const file = join(path, 'ktap.txt');
      const reporter = new KtapReporter(file);
      const events = new RunEvents();
      reporter.attach(events);
      events.emit('start', { env: makeEnvironment(), cases: RESULTS.map((result) => result.info) });
      for (const result of [...RESULTS].reverse()) events.emit('case', result);
      events.emit('end', summarize(RESULTS, 1, []));
      await reporter.finish();
      const text = readFileSync(file, 'utf8');
      t.true(text.startsWith('KTAP version 1\n1..3\n  KTAP version 1\n'));
      const suites = parseKtap(text);
      t.deepEqual(
        suites.map((suite) => [suite.name, suite.ok, suite.directive]),
        [
          ['demo', false, null],
          ['other', false, null],
          ['third', true, 'SKIP'],
        ],
      );
      t.deepEqual(ktapCounts(suites), summarize(RESULTS, 1, []).totals);
      const [passes, fails, skips] = suites[0]!.subtests!;
      t.is(passes!.name, 'passes [clone3, root]');
      t.deepEqual(fails!.notes.slice(0, 3), [
        'claim fails — expected pid 1; got pid 2',
        'expected: pid 1',
        'actual: pid 2 | and more',
      ]);
      t.is(skips!.diagnostic, 'needs real root: the runner is uid 1000');
      t.is(suites[1]!.subtests![0]!.diagnostic, 'timed out after 10000 ms');
    },
    { unsafeCleanup: true },
  );
});

test('the parser used above rejects what is not KTAP', (t) => {
  const good = renderKtap(new Map([['demo', RESULTS.slice(0, 2)]]));
  t.notThrows(() => parseKtap(good));
  t.throws(() => parseKtap(good.replace('1..2', '1..3')), { message: /expected result 3 of 3/ });
  t.throws(() => parseKtap(good.replace('not ok 2', 'not ok 3')), { message: /numbered 3, expected 2/ });
  t.throws(() => parseKtap(good.replace('KTAP version 1\n', '')), { message: /KTAP version 1/ });
});
