// Reports that cannot be written and the exit codes a CI loop branches on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';
import type { CaseResult } from '../harness/case.ts';
import { JsonReporter } from '../harness/report/json.ts';
import { JunitReporter } from '../harness/report/junit.ts';
import { finishReporters } from '../harness/report/finish.ts';
import { RunEvents } from '../harness/run/events.ts';
import { EXIT, exitCodeOf, summarize } from '../harness/run/summary.ts';
import { makeEnvironment } from './fixtures/environment.ts';
import { makeInfo } from './fixtures/cases.ts';
import { runCli } from './fixtures/cli.ts';

const pass: CaseResult = { info: makeInfo('a'), outcome: { status: 'pass', durationMs: 1 } };
const skip: CaseResult = { info: makeInfo('b'), outcome: { status: 'skip', reason: 'needs root' } };
const fail: CaseResult = {
  info: makeInfo('c'),
  outcome: { status: 'fail', durationMs: 1, message: 'm', expected: 'e', actual: 'a' },
};
const error: CaseResult = {
  info: makeInfo('d'),
  outcome: { status: 'error', durationMs: 1, message: 'observer died' },
};

test('exit codes: 0 all good, 1 kernel failures, 3 harness errors or a changed host', (t) => {
  t.is(exitCodeOf(summarize([pass, skip], 1, [])), EXIT.ok);
  t.is(exitCodeOf(summarize([pass, fail], 1, [])), EXIT.kernelFailures);
  t.is(exitCodeOf(summarize([pass, error], 1, [])), EXIT.harness);
  t.is(
    exitCodeOf(summarize([fail, error], 1, [])),
    EXIT.harness,
    'results the harness broke on are not trusted as kernel verdicts',
  );
  t.is(exitCodeOf(summarize([pass], 1, ['hostname: a → b'])), EXIT.harness);
  t.deepEqual(EXIT, { ok: 0, kernelFailures: 1, usage: 2, harness: 3 });
});

test('a report that cannot be written is one line; the others are still written', async (t) => {
  await withDir(
    async ({ path }) => {
      const json = join(path, 'results.json');
      const reporters = [new JunitReporter('/dev/full', {}), new JsonReporter(json, {})];
      const events = new RunEvents();
      for (const reporter of reporters) reporter.attach(events);
      events.emit('start', { env: makeEnvironment(), cases: [pass.info] });
      events.emit('case', pass);
      events.emit('end', summarize([pass], 1, []));
      const lines: string[] = [];
      const finished = await finishReporters(reporters, (line) => lines.push(line));
      t.deepEqual(lines, ['nsconform: cannot write the JUnit report /dev/full: ENOSPC\n']);
      t.deepEqual(finished, { written: [json], failed: 1 });
      t.is(JSON.parse(readFileSync(json, 'utf8')).cases.length, 1);
    },
    { unsafeCleanup: true },
  );
});

const UNWRITABLE: Array<[string[], RegExp]> = [
  [['--junit', '/dev/full'], /^nsconform: --junit \/dev\/full: cannot be written \(ENOSPC\)\n$/],
  [['--json', '/proc/version'], /^nsconform: --json \/proc\/version: (cannot be written|the file is not writable)/],
];

for (const [args, message] of UNWRITABLE) {
  test(`an unwritable report ${args.join(' ')} is refused before the run: one line, exit 2`, async (t) => {
    const result = await runCli([...args, '--only', 'matrix › none › *']);
    t.is(result.code, EXIT.usage);
    t.regex(result.stderr, message);
    t.is(result.stdout, '', 'no case ran');
  });
}
