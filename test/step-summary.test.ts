// On GitHub Actions the run appends its totals and failure groups to $GITHUB_STEP_SUMMARY.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';
import type { CaseResult } from '../harness/case.ts';
import { StepSummaryReporter } from '../harness/report/step-summary.ts';
import { RunEvents } from '../harness/run/events.ts';
import { summarize } from '../harness/run/summary.ts';
import { makeEnvironment } from './fixtures/environment.ts';
import { makeInfo } from './fixtures/cases.ts';

const refused = (flagSet: string): CaseResult => ({
  info: makeInfo(flagSet, {
    id: `matrix › ${flagSet} › c [clone3, root]`,
    suite: 'matrix',
    claim: 'c',
    properties: { flagSet, path: 'clone3', mode: 'root' },
  }),
  outcome: {
    status: 'fail',
    durationMs: 1,
    message: `c — expected clone3(CLONE_NEWTIME) to create the child; got it failed with EINVAL | really`,
    expected: 'e',
    actual: 'a',
  },
});

test('the step summary appends the totals and one table row per cause', async (t) => {
  await withDir(
    async ({ path }) => {
      const file = join(path, 'summary.md');
      writeFileSync(file, 'earlier step\n');
      const results = [
        refused('time'),
        refused('pid+time'),
        { info: makeInfo('ok'), outcome: { status: 'pass', durationMs: 1 } } as CaseResult,
      ];
      const reporter = new StepSummaryReporter(file);
      const events = new RunEvents();
      reporter.attach(events);
      events.emit('start', { env: makeEnvironment(), cases: results.map((result) => result.info) });
      for (const result of results) events.emit('case', result);
      events.emit('end', summarize(results, 1, []));
      await reporter.finish();
      const text = readFileSync(file, 'utf8');
      t.true(text.startsWith('earlier step\n### nsconform on Linux 6.18.0-fixture as uid 0\n'));
      t.regex(text, /\n1 passed, 2 failed, 0 skipped, 0 errors\n/);
      t.regex(
        text,
        /\n\| 2 \| fail \| matrix \| c — expected clone3\(CLONE_NEWTIME\) to create the child; got it failed with EINVAL \\\| really \| time, pid\+time \|\n/,
      );
    },
    { unsafeCleanup: true },
  );
});
