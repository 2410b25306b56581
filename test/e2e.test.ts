// End to end: the real CLI on this kernel, read back from its JUnit file; bad input; the deadline.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import { XMLParser } from 'fast-xml-parser';
import { withDir } from 'tmp-promise';
import { OBSERVER_BINARY } from '../harness/observer/binary.ts';
import { ObserverClient } from '../harness/observer/client.ts';
import { SUITES } from '../suites/index.ts';

const run = promisify(execFile);
const CLI = new URL('../bin/nsconform.js', import.meta.url).pathname;
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

function parentOf(pid: string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

interface CliResult { code: number; stdout: string; stderr: string }

async function nsconform(args: string[], prefix: string[] = []): Promise<CliResult> {
  const [command, ...rest] = [...prefix, process.execPath, CLI, ...args];
  try {
    const { stdout, stderr } = await run(command!, rest, { maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

type Testcase = { name: string; classname: string; failure?: unknown; error?: unknown; skipped?: { message?: string } | string };

function readJunit(file: string): Testcase[] {
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(readFileSync(file, 'utf8'));
  return (xml.testsuites.testsuite as Array<{ testcase: Testcase[] }>).flatMap((suite) => suite.testcase);
}

function checkReport(t: ExecutionContext, cases: Testcase[]): void {
  t.is(cases.length, ALL_CASES + 1, 'every case the suites define, and the host check');
  const broken = cases.filter((entry) => entry.failure !== undefined || entry.error !== undefined);
  t.deepEqual(broken.map((entry) => `${entry.classname} ${entry.name}`), []);
  const skipsWithoutReason = cases.filter((entry) => entry.skipped !== undefined && (typeof entry.skipped !== 'object' || !entry.skipped.message));
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
      checkReport(t, readJunit(junit));
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
      const result = await nsconform(['--junit', junit, '--json', join(path, 'results.json')], ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all']);
      t.is(result.code, 0, result.stdout.slice(-3000) + result.stderr);
      const cases = readJunit(junit);
      checkReport(t, cases);
      const rootCases = cases.filter((entry) => entry.classname.endsWith('.root'));
      t.true(rootCases.length > 0);
      t.true(rootCases.every((entry) => typeof entry.skipped === 'object' && /needs real root.*the runner is uid 65534/.test(entry.skipped.message ?? '')));
      t.true(cases.filter((entry) => entry.classname.endsWith('.unprivileged')).every((entry) => entry.skipped === undefined));
    },
    { unsafeCleanup: true },
  );
});

const BAD_INPUT: Array<[string[], RegExp]> = [
  [['--junit', '/nonexistent-nsconform/junit.xml'], /^nsconform: --junit \/nonexistent-nsconform\/junit.xml: directory \/nonexistent-nsconform does not exist\n$/],
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
    const record = await client.run({ path: 'clone3', cloneFlags: 0x20000000, drop: null, timeoutMs: 300, scratch: null, hostname: null, ops: ['hang'] });
    t.is(record.outcome, 'timeout');
    t.true((record.durationNs ?? 0) >= 300e6);
    t.true(performance.now() - started < 5000);
    const after = await client.run({ path: 'clone3', cloneFlags: 0, drop: null, timeoutMs: 2000, scratch: null, hostname: null, ops: [] });
    t.is(after.outcome, 'observed', 'the observer serves the next case');
  } finally {
    await client.close();
  }
  // This build's observers started by this test process only: the fuzz test's sanitizer build and the
  // kill-safety test's runs have observers of their own beside it.
  const hung = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry) && readCmdline(entry).split('\0')[0] === OBSERVER_BINARY && parentOf(entry) === process.pid);
  t.deepEqual(hung, [], 'no observer process is left');
});
