// Kills full runs at points spread over them — Node, or one observer — and checks 3 s later that nothing of the run is left.
// Usage (as root): node --import tsx scripts/kill-safety.ts [node|observer|both|probing|bound] [points]
// probing: each point kills an observer (or, every other point, Node) while the run still probes the environment.
// bound: each point kills Node and prints how long each kind of leftover took to go (polled every 20 ms, up to 15 s).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  hostState,
  isClean,
  journalDirOf,
  leftovers,
  namedBy,
  observersOf,
  processTree,
  sleep,
  startRun,
  timeToClean,
  type HostState,
} from '../test/kill-probe.ts';

const which = process.argv[2] ?? 'both';
const points = Number(process.argv[3] ?? 10);
// The killed runs' reports, in a directory of this script's own, removed at the end.
const REPORT_DIR = mkdtempSync(join(tmpdir(), 'kill-safety-'));
const REPORTS = ['--junit', join(REPORT_DIR, 'run.junit.xml'), '--json', join(REPORT_DIR, 'run.json')];

function hostDiff(before: HostState, after: HostState): string[] {
  const changes: string[] = [];
  for (const key of Object.keys(before) as (keyof HostState)[]) {
    const a = JSON.stringify(before[key]),
      b = JSON.stringify(after[key]);
    if (a !== b) changes.push(key);
  }
  return changes;
}

function exited(run: ReturnType<typeof startRun>): Promise<number | null> {
  return new Promise((resolve) =>
    run.exitCode !== null ? resolve(run.exitCode) : run.once('exit', (code) => resolve(code)),
  );
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
  console.log(
    `node SIGKILL ${seconds.toFixed(1)} s into the cases: ${tree.length} processes, ${named.ids.size} IPC objects named; 3 s later: ${JSON.stringify(left)}; host sections that differ (other runs on the machine count too): ${changed.join(', ') || 'none'}`,
  );
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
    console.log(
      `observer SIGKILL ${seconds.toFixed(1)} s into the cases: no observer running (the run is ${run.exitCode === null ? 'probing or ending' : 'over'}); not counted`,
    );
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
  console.log(
    `observer SIGKILL ${seconds.toFixed(1)} s into the cases: ${tree.length} processes, ${named.ids.size} IPC objects named; 3 s later: ${JSON.stringify(left)}; run SIGTERMed then: exit ${code}, leftovers ${JSON.stringify(after)}`,
  );
  return isClean(left) && isClean(after);
}

/** Whether the run has printed its first progress line: probing is over and cases are under way. */
function startProbing(): { run: ReturnType<typeof startRun>; probing: () => boolean; stderr: () => string } {
  const run = startRun(REPORTS);
  let printed = false;
  let stderr = '';
  run.stdout!.on('data', () => (printed = true));
  run.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { run, probing: () => !printed, stderr: () => stderr };
}

/** Kills an observer (or Node) during probing; then SIGTERM, an exit within 60 s, and nothing left at once and 1 s later. */
async function killDuringProbing(index: number, target: 'observer' | 'node'): Promise<boolean | null> {
  const { run, probing, stderr } = startProbing();
  const pid = run.pid!;
  while (observersOf(pid).length === 0 && run.exitCode === null) await sleep(5);
  await sleep((index * 37) % 200);
  const observer = observersOf(pid)[0];
  if (!probing() || observer === undefined) {
    console.log(`probing kill ${index}: the run was past probing at the kill point; not counted`);
    run.kill('SIGKILL');
    await exited(run);
    return null;
  }
  const tree = processTree(target === 'node' ? pid : observer);
  const named = namedBy(journalDirOf(pid), target === 'node' ? undefined : observer);
  try {
    process.kill(target === 'node' ? pid : observer, 'SIGKILL');
  } catch {
    console.log(`probing kill ${index}: the ${target} had ended at the kill point; not counted`);
    run.kill('SIGKILL');
    await exited(run);
    return null;
  }
  const started = performance.now();
  if (target === 'observer') {
    await sleep(3000);
    const left = leftovers(pid, tree, named, observer);
    run.kill('SIGTERM');
    const code = await Promise.race([exited(run), sleep(60000).then(() => 'hung' as const)]);
    const atExit = leftovers(pid, processTree(pid), namedBy(null));
    await sleep(1000);
    const later = leftovers(pid, processTree(pid), namedBy(null));
    console.log(
      `probing kill ${index} (observer): 3 s later ${JSON.stringify(left)}; SIGTERM: exit ${code} after ${((performance.now() - started) / 1000 - 3).toFixed(1)} s; at exit ${JSON.stringify(atExit)}; 1 s later ${JSON.stringify(later)}`,
    );
    if (code !== 143) console.log(`  its stderr: ${stderr().trim().split('\n').slice(-25).join(' / ')}`);
    if (code === 'hung') run.kill('SIGKILL');
    return code !== 'hung' && isClean(left) && isClean(atExit) && isClean(later);
  }
  await sleep(3000);
  const left = leftovers(pid, tree, named);
  console.log(`probing kill ${index} (node): 3 s later ${JSON.stringify(left)}`);
  return isClean(left);
}

/** Kills Node `seconds` into the cases and times each leftover's going; true when all went within 3 s. */
async function timeNodeKillAt(seconds: number): Promise<boolean> {
  const run = await runFor(seconds);
  const pid = run.pid!;
  const tree = processTree(pid);
  const named = namedBy(journalDirOf(pid));
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  run.kill('SIGKILL');
  const times = await timeToClean(performance.now(), 15000, () => leftovers(pid, tree, named));
  const slowest = Math.max(...Object.values(times).map((time) => time ?? Infinity));
  console.log(
    `node SIGKILL ${seconds.toFixed(1)} s into the cases (load ${load}, ${tree.length} processes): gone after ${JSON.stringify(times)} ms; all ${Number.isFinite(slowest) ? `${slowest} ms` : 'NOT within 15 s'}`,
  );
  return slowest <= 3000;
}

if (which === 'probing') {
  let clean = 0,
    total = 0;
  for (let index = 0; index < points; index++) {
    const verdict = await killDuringProbing(index, index % 3 === 2 ? 'node' : 'observer');
    if (verdict === null) continue;
    total += 1;
    clean += verdict ? 1 : 0;
  }
  rmSync(REPORT_DIR, { recursive: true, force: true });
  console.log(`${clean} of ${total} kills during probing left nothing behind and ended`);
  process.exit(clean === total ? 0 : 1);
}

const caseSeconds = await measureCases();
// Spread over the first 90 % of the cases, so that every point meets a live run.
const at = Array.from({ length: points }, (_, index) => (index * 0.9 * caseSeconds) / Math.max(1, points - 1));
console.log(
  `a whole run's cases take ${caseSeconds.toFixed(1)} s here: killing at ${at.map((s) => s.toFixed(1)).join(', ')} s`,
);
let clean = 0,
  total = 0;
for (const seconds of at) {
  if (which === 'bound') {
    total += 1;
    clean += (await timeNodeKillAt(seconds)) ? 1 : 0;
    continue;
  }
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
