// Kill safety end to end: SIGKILL of Node or of an observer mid-run leaves nothing 3 s later; SIGTERM reports what ran; two runs at once both pass.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { removeCgroupTree } from '../harness/run/run-cgroup.ts';
import {
  claimCgroupsLeft,
  isClean,
  journalDirOf,
  leftovers,
  namedBy,
  observersOf,
  processTree,
  sleep,
  startRun,
} from './kill-probe.ts';

const IS_ROOT = process.geteuid?.() === 0;
const SELECTION = ['--only', 'matrix*', '--path', 'clone3,unshare'];
// The killed runs' reports live in one directory of this test file's, removed at its end however the tests went.
const REPORTS = mkdtempSync(join(tmpdir(), 'kill-safety-'));
test.after.always(() => rmSync(REPORTS, { recursive: true, force: true }));
const reports = (name: string): string[] => [
  '--junit',
  join(REPORTS, `${name}.xml`),
  '--json',
  join(REPORTS, `${name}.json`),
];

async function until(condition: () => boolean, timeoutMs = 30000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

function exited(run: ReturnType<typeof startRun>): Promise<number | null> {
  return new Promise((resolve) =>
    run.exitCode !== null ? resolve(run.exitCode) : run.once('exit', (code) => resolve(code)),
  );
}

// Serial: each kills a run on a 2-core machine, and the checks count the run's own processes and objects.
for (const delayMs of [0, 700, 1400]) {
  test.serial(
    `SIGKILL of Node ${delayMs} ms after its observers start: 3 s later no process, IPC object, scratch dir, cgroup or journal of the run is left`,
    async (t) => {
      if (!IS_ROOT) return t.pass('needs root (skipped)');
      const run = startRun([...SELECTION, ...reports('node')]);
      const pid = run.pid!;
      t.true(await until(() => observersOf(pid).length > 0), 'the run never started its observers');
      await sleep(delayMs);
      const tree = processTree(pid);
      const named = namedBy(journalDirOf(pid));
      run.kill('SIGKILL');
      await sleep(3000);
      const left = leftovers(pid, tree, named);
      t.true(isClean(left), JSON.stringify(left));
      t.true(tree.length > 1, 'the kill found the run already over');
    },
  );
}

/** The case dirs in the run's scratch dir (nsconform-scratch--<pid>-…), however many scratch dirs match. */
function caseDirsOf(pid: number): number {
  return readdirSync(tmpdir())
    .filter((name) => name.startsWith(`nsconform-scratch--${pid}-`))
    .flatMap((name) => {
      try {
        return readdirSync(join(tmpdir(), name)).filter((entry) => entry.startsWith('case-'));
      } catch {
        return [];
      }
    }).length;
}

test.serial(
  'SIGKILL of Node with spec cases queued: a case dir exists only for a running case (it was one per queued case, ~440), and 3 s later nothing is left',
  async (t) => {
    if (!IS_ROOT) return t.pass('needs root (skipped)');
    const run = startRun(['--only', 'lifetime*', '--only', 'uts*', '--concurrency', '2', ...reports('queued')]);
    const pid = run.pid!;
    t.true(await until(() => caseDirsOf(pid) > 0 || run.exitCode !== null), 'no case dir appeared');
    let most = 0;
    for (let sample = 0; sample < 20; sample++) {
      most = Math.max(most, caseDirsOf(pid));
      await sleep(10);
    }
    const tree = processTree(pid);
    const named = namedBy(journalDirOf(pid));
    run.kill('SIGKILL');
    t.true(most <= 2, `${most} case dirs at once with 2 observers`);
    await sleep(3000);
    const left = leftovers(pid, tree, named);
    t.true(isClean(left), JSON.stringify(left));
  },
);

test.serial(
  'SIGKILL of an observer mid-run: 3 s later its processes and IPC objects are gone, and the run still ends clean',
  async (t) => {
    if (!IS_ROOT) return t.pass('needs root (skipped)');
    const run = startRun([...SELECTION, ...reports('observer')]);
    const pid = run.pid!;
    t.true(await until(() => observersOf(pid).length > 0));
    await sleep(500);
    // Probing observers close once the environment is known and the cases' observers start: wait for one of those.
    t.true(await until(() => observersOf(pid).length > 0), 'the run had no observer left to kill');
    const observer = observersOf(pid)[0]!;
    const tree = processTree(observer);
    const named = namedBy(journalDirOf(pid), observer);
    process.kill(observer, 'SIGKILL');
    await sleep(3000);
    const left = leftovers(pid, tree, named, observer);
    t.true(isClean(left), JSON.stringify(left));
    const code = await exited(run);
    // The killed observer's cases are harness errors: exit 3 (or 0/1 if it died between cases).
    t.true(code === 0 || code === 1 || code === 3, `exit ${code}`);
    await sleep(500);
    t.true(isClean(leftovers(pid, [], namedBy(null))), 'the run left something at its end');
  },
);

/** Polls (without yielding: a claim holds its cgroups for milliseconds) until one of the run's cgroup claims has made its cgroups. */
function untilClaimCgroups(pid: number, timeoutMs = 30000): boolean {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) if (claimCgroupsLeft(pid).length > 0) return true;
  return false;
}

// The cgroup claims, repeated so that one is caught between making its cgroups and removing them.
const CGROUP_CLAIMS = ['--only', 'cgroup › *', '--only', 'setns › cgroup › *', '--repeat', '40'];

for (const target of ['Node', 'its observers'] as const) {
  test.serial(
    `SIGKILL of ${target} while a cgroup claim holds the cgroups it made: no nsconform-* cgroup of the run is left anywhere under the cgroup2 mount`,
    async (t) => {
      if (!IS_ROOT) return t.pass('needs root (skipped)');
      const run = startRun([...CGROUP_CLAIMS, ...reports('cgroup-claims')]);
      const pid = run.pid!;
      try {
        t.true(untilClaimCgroups(pid), 'no cgroup claim was caught holding its cgroups');
        if (target === 'Node') run.kill('SIGKILL');
        else for (const observer of observersOf(pid)) process.kill(observer, 'SIGKILL');
        if (target === 'Node') await sleep(3000);
        else await exited(run);
        await sleep(500);
        t.deepEqual(claimCgroupsLeft(pid), [], 'a claim left cgroups');
        t.true(isClean(leftovers(pid, [], namedBy(null))), 'the run left something');
      } finally {
        if (run.exitCode === null) run.kill('SIGKILL');
        // Left by a build before the fix (at the cgroup2 root): removed, so the host is as before the test.
        for (const path of claimCgroupsLeft(pid)) if (existsSync(path)) removeCgroupTree(path);
      }
    },
  );
}

test.serial(
  'an observer SIGKILLed while the run still probes, then SIGTERM: exit 143 within 60 s, and nothing left at exit',
  async (t) => {
    if (!IS_ROOT) return t.pass('needs root (skipped)');
    // Found by scripts/kill-safety.ts probing: a late probe started an observer after the pool closed (a 12-minute
    // hang, the journal already gone), and tmp's exit-time rm -rf threw ENOTEMPTY (exit 1, the scratch dir left).
    for (let attempt = 0; attempt < 3; attempt++) {
      const run = startRun(reports('probing'));
      const pid = run.pid!;
      let printed = false;
      run.stdout!.on('data', () => (printed = true));
      t.true(await until(() => observersOf(pid).length > 0 || run.exitCode !== null));
      const observer = observersOf(pid)[0];
      if (printed || observer === undefined) {
        run.kill('SIGKILL');
        await exited(run);
        continue;
      }
      process.kill(observer, 'SIGKILL');
      await sleep(1000);
      run.kill('SIGTERM');
      const code = await Promise.race([exited(run), sleep(60000).then(() => 'hung')]);
      if (code === 'hung') run.kill('SIGKILL');
      t.is(code, 143);
      t.true(isClean(leftovers(pid, [], namedBy(null))), 'the run left something at its exit');
      return;
    }
    t.pass('every attempt was past probing at the kill point: nothing to judge here');
  },
);

test.serial(
  'SIGTERM mid-run: the reports hold the cases that ran and say "interrupted"; exit 143; nothing left',
  async (t) => {
    if (!IS_ROOT) return t.pass('needs root (skipped)');
    const files = reports('sigterm');
    const run = startRun([...SELECTION, ...files]);
    const pid = run.pid!;
    let stderr = '';
    run.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    t.true(await until(() => observersOf(pid).length > 0));
    await sleep(700);
    const tree = processTree(pid);
    const named = namedBy(journalDirOf(pid));
    run.kill('SIGTERM');
    t.is(await exited(run), 143);
    const junit = readFileSync(files[1]!, 'utf8');
    const cases = (junit.match(/<testcase /g) ?? []).length;
    t.regex(junit, /name="run.interrupted" value="SIGTERM: \d+ of \d+ cases ran"/);
    t.true(cases > 1, 'no case made it into the report');
    t.regex(stderr, /interrupted by SIGTERM; the reports hold the \d+ of \d+ cases that ran/);
    const json = JSON.parse(readFileSync(files[3]!, 'utf8')) as { cases: unknown[] };
    t.is(json.cases.length, cases);
    await sleep(500);
    t.true(isClean(leftovers(pid, tree, named)), 'the interrupted run left something');
    for (const file of [files[1]!, files[3]!]) rmSync(file, { force: true });
  },
);

test.serial(
  'two runs at once, each with host IPC objects of its own: neither blames the other in its host check',
  async (t) => {
    if (!IS_ROOT) return t.pass('needs root (skipped)');
    const selection = ['--only', 'matrix › ipc*', '--only', 'scenarios › *step 2*'];
    const files = [reports('twin-a'), reports('twin-b')];
    const codes = await Promise.all(files.map((names) => exited(startRun([...selection, ...names]))));
    for (const [index, names] of files.entries()) {
      const report = JSON.parse(readFileSync(names[3]!, 'utf8')) as {
        cases: Array<{ suite: string; status: string; message?: string }>;
      };
      const cases = report.cases.filter((entry) => entry.suite !== 'host' && entry.suite !== 'kernel-health');
      t.true(cases.length > 1, `run ${index}: no cases in its report`);
      t.deepEqual(
        cases.filter((entry) => entry.status !== 'pass'),
        [],
        `run ${index}: a case did not pass`,
      );
      // Every object either run makes is 0600: a host change naming one would be the other run's, wrongly blamed.
      // (Other programs on a shared machine may still change the host; those are not this test's business.)
      const host = report.cases.find((entry) => entry.suite === 'host');
      t.notRegex(host?.message ?? '', /mode 0600/, `run ${index} (exit ${codes[index]}) blamed a run's object`);
    }
    for (const names of files)
      for (const file of names.filter((_, index) => index % 2 === 1)) if (existsSync(file)) rmSync(file);
  },
);
