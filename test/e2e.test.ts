// End to end: the real CLI on this kernel, read back from its JUnit file; bad input; the deadline.
import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { XMLParser } from 'fast-xml-parser';
import { withDir } from 'tmp-promise';
import { OBSERVER_BINARY } from '../harness/observer/binary.ts';
import { ObserverClient } from '../harness/observer/client.ts';
import { runCli } from './fixtures/cli.ts';
import { ktapCounts, parseKtap } from './fixtures/ktap-parser.ts';
import { countsByJunit2json, countsByTestResultsParser, hasXmllint, schemaErrors } from './fixtures/junit-readers.ts';
import { loadSuites } from '../suites/registry.ts';

const { suites: SUITES } = await loadSuites();

const IS_ROOT = process.geteuid?.() === 0;
const ALL_CASES = SUITES.flatMap((suite) => suite.groups()).reduce((sum, group) => sum + group.cases.length, 0);

/** A process may end between readdir and read. */
function readCmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** Field 4 of /proc/<pid>/stat, after the ")" that ends the command name; 0 when the process is gone. */
function parentOf(pid: string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

function descendsFromUs(pid: string): boolean {
  for (let at = Number(pid), hops = 0; at > 1 && hops < 64; at = parentOf(String(at)), hops++)
    if (at === process.pid) return true;
  return false;
}

const nsconform = runCli;

type Testcase = { name: string; classname: string; failure?: unknown; error?: unknown; skipped?: string };

function readJunit(file: string): Testcase[] {
  const xml = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['testsuite', 'testcase'].includes(name),
  }).parse(readFileSync(file, 'utf8'));
  return (xml.testsuites.testsuite as Array<{ testcase: Testcase[] }>).flatMap((suite) => suite.testcase);
}

function checkReport(t: ExecutionContext, cases: Testcase[]): void {
  t.is(cases.length, ALL_CASES + 3, 'every case the suites define, the host check and the two kernel-health checks');
  const broken = cases.filter((entry) => entry.failure !== undefined || entry.error !== undefined);
  t.deepEqual(
    broken.map((entry) => `${entry.classname} ${entry.name}`),
    [],
  );
  const skipsWithoutReason = cases.filter(
    (entry) => entry.skipped !== undefined && (typeof entry.skipped !== 'string' || entry.skipped.trim() === ''),
  );
  t.is(skipsWithoutReason.length, 0);
}

test.serial('npx nsconform passes on this kernel and writes a JUnit file CI tools can read', async (t) => {
  t.true(existsSync(OBSERVER_BINARY), 'npm install builds the observer');
  await withDir(
    async ({ path }) => {
      const junit = join(path, 'junit.xml');
      const result = await nsconform(['--junit', junit, '--json', join(path, 'results.json')]);
      t.is(result.code, 0, result.stdout.slice(-3000) + result.stderr);
      t.regex(result.stdout, /\d+ passed, 0 failed, \d+ skipped, 0 errors/);
      const cases = readJunit(junit);
      checkReport(t, cases);
      t.is(
        new Set(cases.map((entry) => entry.name)).size,
        cases.length,
        'case names are unique without their classname',
      );
      if (await hasXmllint()) t.is(await schemaErrors(junit), '', 'xmllint: valid against the Jenkins JUnit schema');
      else t.log('xmllint is not installed (libxml2-utils): schema check not run');
      const counts = await countsByJunit2json(junit);
      t.deepEqual(countsByTestResultsParser(junit), counts, 'two JUnit consumers read the same counts');
      t.is(counts.tests, ALL_CASES + 3);
      const results = JSON.parse(readFileSync(join(path, 'results.json'), 'utf8'));
      t.is(results.summary.totals.fail + results.summary.totals.error, 0);
      if (IS_ROOT) t.is(results.summary.totals.skip, 0, 'as root on this machine every kind works in both modes');
    },
    { unsafeCleanup: true },
  );
});

test.serial('as a non-root user the unprivileged mode runs and root cases skip with the reason', async (t) => {
  if (!IS_ROOT) {
    t.pass('already running unprivileged: the test above covered it');
    return;
  }
  await withDir(
    async ({ path }) => {
      chmodSync(path, 0o777);
      const junit = join(path, 'junit.xml');
      const result = await nsconform(
        ['--junit', junit, '--json', join(path, 'results.json')],
        ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all'],
      );
      t.is(result.code, 0, result.stdout.slice(-3000) + result.stderr);
      const cases = readJunit(junit);
      checkReport(t, cases);
      const rootCases = cases.filter((entry) => entry.classname.endsWith('.root'));
      t.true(rootCases.length > 0);
      t.true(rootCases.every((entry) => /needs root .*the runner is uid 65534/.test(entry.skipped ?? '')));
      t.true(
        cases
          .filter((entry) => entry.classname.endsWith('.unprivileged'))
          .every((entry) => entry.skipped === undefined),
      );
    },
    { unsafeCleanup: true },
  );
});

test.serial("nsconform --ktap <file> writes KTAP whose counts are the run's", async (t) => {
  await withDir(
    async ({ path }) => {
      const ktap = join(path, 'ktap.txt');
      const json = join(path, 'results.json');
      const result = await nsconform([
        '--only',
        'matrix › pid › *',
        '--path',
        'clone3',
        '--ktap',
        ktap,
        '--json',
        json,
        '--junit',
        join(path, 'junit.xml'),
      ]);
      t.is(result.code, 0, result.stdout + result.stderr);
      const suites = parseKtap(readFileSync(ktap, 'utf8'));
      t.deepEqual(
        suites.map((suite) => suite.name),
        ['matrix', 'host', 'kernel-health'],
      );
      t.deepEqual(ktapCounts(suites), JSON.parse(readFileSync(json, 'utf8')).summary.totals);
    },
    { unsafeCleanup: true },
  );
});

test.serial(
  '--repeat 5 --only "matrix › pid*" runs each case five times and finds no flaky case on this kernel',
  async (t) => {
    await withDir(
      async ({ path }) => {
        const json = join(path, 'r.json');
        const result = await nsconform([
          '--repeat',
          '5',
          '--only',
          'matrix › pid*',
          '--json',
          json,
          '--junit',
          join(path, 'j.xml'),
        ]);
        t.is(result.code, 0, result.stdout + result.stderr);
        const cases = (
          JSON.parse(readFileSync(json, 'utf8')) as {
            cases: Array<{ suite: string; attempts?: string[]; flaky?: boolean }>;
          }
        ).cases.filter((entry) => entry.suite === 'matrix');
        t.true(cases.length > 0);
        t.true(cases.every((entry) => entry.attempts?.length === 5));
        t.deepEqual(
          cases.filter((entry) => entry.flaky),
          [],
        );
        t.notRegex(result.stdout, /FLAKY/);
      },
      { unsafeCleanup: true },
    );
  },
);

test.serial('a CLI run with GITHUB_STEP_SUMMARY set appends to it', async (t) => {
  await withDir(
    async ({ path }) => {
      const file = join(path, 'summary.md');
      const result = await nsconform(
        [
          '--only',
          'matrix › pid › *',
          '--path',
          'clone3',
          '--mode',
          'unprivileged',
          '--junit',
          join(path, 'j.xml'),
          '--json',
          join(path, 'r.json'),
        ],
        [],
        { GITHUB_STEP_SUMMARY: file },
      );
      t.is(result.code, 0, result.stdout + result.stderr);
      t.regex(readFileSync(file, 'utf8'), /^### nsconform on Linux .* as uid \d+\n\n\d+ passed, 0 failed/);
    },
    { unsafeCleanup: true },
  );
});

const BAD_INPUT: Array<[string[], RegExp]> = [
  [
    ['--junit', '/nonexistent-nsconform/junit.xml'],
    /^nsconform: --junit \/nonexistent-nsconform\/junit.xml: directory \/nonexistent-nsconform does not exist\n$/,
  ],
  [['--only', 'no such case'], /^nsconform: no case matches --only "no such case"/],
  [['--mode', 'superuser'], /^nsconform: --mode takes root, unprivileged, both, not "superuser"\n$/],
  [['--timeout'], /^nsconform: Option '--timeout <value>' argument missing \(see nsconform --help\)\n$/],
];

for (const [args, message] of BAD_INPUT) {
  test(`bad input ${args.join(' ')}: one line, exit 2, nothing written`, async (t) => {
    const result = await nsconform(args);
    t.is(result.code, 2);
    t.regex(result.stderr, message);
    t.is(result.stdout, '');
  });
}

test('a child past its deadline is killed and reaped and the case is a timeout', async (t) => {
  const client = new ObserverClient(OBSERVER_BINARY);
  try {
    const started = performance.now();
    const record = await client.run({
      path: 'clone3',
      cloneFlags: 0x20000000,
      drop: null,
      timeoutMs: 300,
      scratch: null,
      hostname: null,
      ops: ['hang'],
    });
    t.is(record.outcome, 'timeout');
    t.true((record.durationNs ?? 0) >= 300e6);
    t.true(performance.now() - started < 5000);
    const after = await client.run({
      path: 'clone3',
      cloneFlags: 0,
      drop: null,
      timeoutMs: 2000,
      scratch: null,
      hostname: null,
      ops: [],
    });
    t.is(after.outcome, 'observed', 'the observer serves the next case');
  } finally {
    await client.close();
  }
  // This build only (the fuzz test's sanitizer build runs beside this test), and only this test's own
  // processes: other test files (the kill-safety test among them) run this build's observers at the same time.
  const hung = readdirSync('/proc').filter(
    (entry) => /^\d+$/.test(entry) && readCmdline(entry).split('\0')[0] === OBSERVER_BINARY && descendsFromUs(entry),
  );
  t.deepEqual(hung, [], 'no observer process is left');
});
