// The JUnit and JSON reporters, read back from the files they wrote.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { XMLParser } from 'fast-xml-parser';
import { withDir } from 'tmp-promise';
import type { CaseResult } from '../harness/case.ts';
import { JsonReporter } from '../harness/report/json.ts';
import { JunitReporter } from '../harness/report/junit.ts';
import { TerminalReporter } from '../harness/report/terminal.ts';
import { RunEvents } from '../harness/run/events.ts';
import { summarize } from '../harness/run/summary.ts';
import { makeEnvironment } from './fixtures/environment.ts';
import { makeInfo } from './fixtures/cases.ts';

const RESULTS: CaseResult[] = [
  { info: makeInfo('passes'), outcome: { status: 'pass', durationMs: 2 } },
  { info: makeInfo('fails'), outcome: { status: 'fail', durationMs: 3, message: 'claim fails — expected pid 1; got pid 2', expected: 'pid 1', actual: 'pid 2' } },
  { info: makeInfo('skips'), outcome: { status: 'skip', reason: 'needs real root: the runner is uid 1000' } },
  { info: makeInfo('errors', { suite: 'other', classname: 'other' }), outcome: { status: 'error', durationMs: 10000, message: 'timed out after 10000 ms' } },
];

function play(events: RunEvents): void {
  events.emit('start', { env: makeEnvironment(), cases: RESULTS.map((result) => result.info) });
  for (const result of [...RESULTS].reverse()) events.emit('case', result);
  events.emit('end', summarize(RESULTS, 42, []));
}

test('the JUnit file maps outcomes faithfully, one testsuite per suite, probes as properties', async (t) => {
  await withDir(
    async ({ path }) => {
      const file = join(path, 'junit.xml');
      const reporter = new JunitReporter(file, { 'run.modes': 'root' });
      const events = new RunEvents();
      reporter.attach(events);
      play(events);
      await reporter.finish();
      const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) }).parse(readFileSync(file, 'utf8'));
      const suites = xml.testsuites.testsuite as Array<Record<string, any>>;
      t.deepEqual(suites.map((suite) => suite.name), ['demo', 'other']);
      const demo = suites[0]!;
      t.is(Number(demo.tests), 3);
      t.is(Number(demo.failures), 1);
      t.is(Number(demo.skipped), 1);
      const properties = Object.fromEntries((demo.properties.property as Array<{ name: string; value: string }>).map((p) => [p.name, p.value]));
      t.is(properties['kernel.release'], '6.18.0-fixture');
      t.is(properties['run.modes'], 'root');
      t.truthy(properties['probe.realRoot']);
      const [passes, fails, skips] = demo.testcase as Array<Record<string, any>>;
      t.is(passes!.name, 'passes');
      t.is(passes!.classname, 'demo.clone3.root');
      t.is(fails!.failure.message, 'claim fails — expected pid 1; got pid 2');
      t.regex(fails!.failure['#text'], /expected: pid 1\nactual: {3}pid 2/);
      t.is(skips!.skipped.message, 'needs real root: the runner is uid 1000');
      const errors = suites[1]!.testcase[0];
      t.is(errors.error.message, 'timed out after 10000 ms');
      t.is(Number(suites[1]!.errors), 1);
    },
    { unsafeCleanup: true },
  );
});

test('the JSON file lists every case in declaration order with its outcome and the environment', async (t) => {
  await withDir(
    async ({ path }) => {
      const file = join(path, 'results.json');
      const reporter = new JsonReporter(file, {});
      const events = new RunEvents();
      reporter.attach(events);
      play(events);
      await reporter.finish();
      const document = JSON.parse(readFileSync(file, 'utf8'));
      t.deepEqual(document.cases.map((entry: { status: string }) => entry.status), ['pass', 'fail', 'skip', 'error']);
      t.is(document.environment['kernel.release'], '6.18.0-fixture');
      t.is(document.summary.totals.fail, 1);
      t.is(document.cases[2].reason, 'needs real root: the runner is uid 1000');
    },
    { unsafeCleanup: true },
  );
});

test('the terminal summary counts by suite and outcome and shows failures and skip reasons', (t) => {
  let text = '';
  const reporter = new TerminalReporter({ write: (chunk) => (text += chunk), isTTY: false });
  const events = new RunEvents();
  reporter.attach(events);
  play(events);
  t.regex(text, /FAIL demo › fails \[clone3, root\]\n {2}claim fails — expected pid 1; got pid 2/);
  t.regex(text, /skipped 1: needs real root/);
  t.regex(text, /demo\s+1\s+1\s+1\s+0/);
  t.regex(text, /1 passed, 1 failed, 1 skipped, 1 errors/);
  t.notRegex(text, /\r/);
});
