// Two full root runs started together from two clones of this checkout, N times, under optional extra load: each try's exit codes and what failed.
// Usage (as root): node --import tsx scripts/twin-runs.ts [tries=16] [busy loops=0] [nice=10]
// The clones are of the committed HEAD; they share this checkout's node_modules (read only by a run) and build their own observer.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PROJECT = new URL('..', import.meta.url).pathname;
const tries = Number(process.argv[2] ?? 16);
const loops = Number(process.argv[3] ?? 0);
const niceness = Number(process.argv[4] ?? 10);

interface ReportedCase {
  readonly id: string;
  readonly status: string;
  readonly message?: string;
  readonly reason?: string;
}

const root = mkdtempSync(join(tmpdir(), 'twin-runs-'));
const busy: ChildProcess[] = [];
const running = new Set<ChildProcess>();
let stopping = false;

function cleanUp(): void {
  for (const loop of busy) if (loop.pid && loop.exitCode === null) process.kill(loop.pid, 'SIGKILL');
  rmSync(root, { recursive: true, force: true });
}
// Ctrl-C: the runs are interrupted as a cancelled CI job's are (SIGTERM: they clean up), then no new try starts.
process.once('SIGINT', () => {
  stopping = true;
  for (const child of running) child.kill('SIGTERM');
});

function makeClone(name: string): string {
  const dir = join(root, name);
  execFileSync('git', ['clone', '--quiet', PROJECT, dir]);
  symlinkSync(join(PROJECT, 'node_modules'), join(dir, 'node_modules'));
  execFileSync(process.execPath, ['scripts/build-native.js'], { cwd: dir, stdio: 'ignore' });
  return dir;
}

function run(dir: string, report: string): Promise<number | null> {
  const child = spawn(process.execPath, ['bin/nsconform.js', '--junit', `${report}.xml`, '--json', `${report}.json`], {
    cwd: dir,
    stdio: 'ignore',
  });
  running.add(child);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
}

function casesOf(report: string): ReportedCase[] {
  try {
    return (JSON.parse(readFileSync(`${report}.json`, 'utf8')) as { cases: ReportedCase[] }).cases;
  } catch (error) {
    return [{ id: '(no report)', status: 'error', message: (error as Error).message }];
  }
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

try {
  const clones = [makeClone('a'), makeClone('b')];
  for (let i = 0; i < loops; i++)
    busy.push(spawn('nice', ['-n', String(niceness), process.execPath, '-e', 'for (;;);'], { stdio: 'ignore' }));
  let bothPassed = 0,
    ran = 0;
  for (let attempt = 1; attempt <= tries && !stopping; attempt++) {
    const started = Date.now();
    const reports = clones.map((dir, index) => join(root, `try${attempt}-${'ab'[index]}`));
    const codes = await Promise.all(clones.map((dir, index) => run(dir, reports[index]!)));
    ran += 1;
    if (codes.every((code) => code === 0)) bothPassed += 1;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`try ${attempt}: exit ${codes.join(' ')} in ${seconds} s, load ${loadAverage()}`);
    for (const report of reports) {
      for (const entry of casesOf(report)) {
        if (entry.status === 'fail' || entry.status === 'error')
          console.log(`  ${entry.status}: ${entry.id}: ${entry.message}`);
        if (entry.status === 'skip' && entry.reason?.startsWith('not observed'))
          console.log(`  skip: ${entry.id}: ${entry.reason}`);
      }
    }
  }
  console.log(`both runs exited 0 in ${bothPassed} of ${ran} tries (${loops} busy loops at nice ${niceness})`);
  process.exitCode = bothPassed === tries ? 0 : 1;
} finally {
  cleanUp();
}
