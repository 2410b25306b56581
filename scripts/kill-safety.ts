// Kills full runs at points spread over them — Node, or one observer — and checks 3 s later that nothing of the run is left.
// Usage (as root): node --import tsx scripts/kill-safety.ts [node|observer|both] [points]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostState, isClean, journalDirOf, leftovers, namedBy, observersOf, processTree, sleep, startRun, type HostState } from '../test/kill-probe.ts';

const which = process.argv[2] ?? 'both';
const points = Number(process.argv[3] ?? 10);
// The killed runs' reports, in a directory of this script's own, removed at the end.
const REPORT_DIR = mkdtempSync(join(tmpdir(), 'kill-safety-'));
const REPORTS = ['--junit', join(REPORT_DIR, 'run.junit.xml'), '--json', join(REPORT_DIR, 'run.json')];

function hostDiff(before: HostState, after: HostState): string[] {
  const changes: string[] = [];
  for (const key of Object.keys(before) as (keyof HostState)[]) {
    const a = JSON.stringify(before[key]), b = JSON.stringify(after[key]);
    if (a !== b) changes.push(key);
  }
  return changes;
}

function exited(run: ReturnType<typeof startRun>): Promise<number | null> {
  return new Promise((resolve) => (run.exitCode !== null ? resolve(run.exitCode) : run.once('exit', (code) => resolve(code))));
}

/** Starts a run and waits until its cases are under way, plus `seconds`. */
async function runFor(seconds: number): Promise<ReturnType<typeof startRun>> {
  const run = startRun(REPORTS);
  while (observersOf(run.pid!).length === 0 && run.exitCode === null) await sleep(20);
  await sleep(seconds * 1000);
  return run;
}

async function killNodeAt(seconds: number): Promise<boolean> {
  const before = hostState();
  const run = await runFor(seconds);
  const pid = run.pid!;
  const tree = processTree(pid);
  const named = namedBy(journalDirOf(pid));
  run.kill('SIGKILL');
  await sleep(3000);
  const left = leftovers(pid, tree, named);
  const changed = hostDiff(before, hostState());
  console.log(`node SIGKILL ${seconds.toFixed(1)} s into the cases: ${tree.length} processes, ${named.ids.size} IPC objects named; 3 s later: ${JSON.stringify(left)}; host sections that differ (other runs on the machine count too): ${changed.join(', ') || 'none'}`);
  return isClean(left);
}

/** How long a whole run's cases take here, from its first observer to its exit: the kill points are spread over that. */
async function measureCases(): Promise<number> {
  const run = startRun(REPORTS);
  while (observersOf(run.pid!).length === 0 && run.exitCode === null) await sleep(20);
  const started = performance.now();
  await exited(run);
  return (performance.now() - started) / 1000;
}

/** true: clean; false: something left; null: no observer to kill (the run was between observers or over). */
async function killObserverAt(seconds: number): Promise<boolean | null> {
  const run = await runFor(seconds);
  const pid = run.pid!;
  const observer = observersOf(pid)[0];
  if (observer === undefined) {
    console.log(`observer SIGKILL ${seconds.toFixed(1)} s into the cases: no observer running (the run is ${run.exitCode === null ? 'probing or ending' : 'over'}); not counted`);
    run.kill('SIGKILL');
    return null;
  }
  const tree = processTree(observer);
  const named = namedBy(journalDirOf(pid), observer);
  process.kill(observer, 'SIGKILL');
  await sleep(3000);
  const left = leftovers(pid, tree, named, observer);
  run.kill('SIGTERM');
  const code = await exited(run);
  await sleep(1000);
  const after = leftovers(pid, processTree(pid), namedBy(null));
  console.log(`observer SIGKILL ${seconds.toFixed(1)} s into the cases: ${tree.length} processes, ${named.ids.size} IPC objects named; 3 s later: ${JSON.stringify(left)}; run SIGTERMed then: exit ${code}, leftovers ${JSON.stringify(after)}`);
  return isClean(left) && isClean(after);
}

const caseSeconds = await measureCases();
// Spread over the first 90 % of the cases, so that every point meets a live run.
const at = Array.from({ length: points }, (_, index) => (index * 0.9 * caseSeconds) / Math.max(1, points - 1));
console.log(`a whole run's cases take ${caseSeconds.toFixed(1)} s here: killing at ${at.map((s) => s.toFixed(1)).join(', ')} s`);
let clean = 0, total = 0;
for (const seconds of at) {
  if (which !== 'observer') {
    total += 1;
    clean += (await killNodeAt(seconds)) ? 1 : 0;
  }
  if (which !== 'node') {
    const verdict = await killObserverAt(seconds);
    if (verdict === null) continue;
    total += 1;
    clean += verdict ? 1 : 0;
  }
}
rmSync(REPORT_DIR, { recursive: true, force: true });
console.log(`${clean} of ${total} kills left nothing behind`);
process.exitCode = clean === total ? 0 : 1;
