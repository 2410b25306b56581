// Boots one kernel N times (nsconform vm) and checks that every run gives the same verdict for every case, printing the cases that differ.
// Usage: node --import tsx scripts/vm-repeat.ts --kernel K [--runs 10] [--parallel 1] [--out DIR] [-- other vm options]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import { readReport, type ReportedCase } from '../harness/diff/report-file.ts';

const BIN = fileURLToPath(new URL('../bin/nsconform.js', import.meta.url));
const RUNS = ['root', 'user'] as const;

interface RunResult {
  readonly index: number;
  readonly code: number | null;
  /** The vm command's phase line: wall and qemu CPU time per phase. */
  readonly phases: string;
  /** "root › case id" → its verdict; empty when the run left no reports. */
  readonly verdicts: ReadonlyMap<string, ReportedCase>;
  readonly counts: string;
}

function usage(message: string): never {
  process.stderr.write(
    `vm-repeat: ${message}\nusage: vm-repeat.ts --kernel K [--runs N] [--parallel P] [--out DIR] [-- vm options]\n`,
  );
  process.exit(2);
}

const { values, positionals } = parseArgs({
  options: {
    kernel: { type: 'string' },
    runs: { type: 'string', default: '10' },
    parallel: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
  allowPositionals: true,
});
const runs = Number(values.runs);
const parallel = Number(values.parallel);
if (!values.kernel) usage('--kernel is required');
if (!Number.isInteger(runs) || runs < 2) usage('--runs takes a whole number of at least 2');
if (!Number.isInteger(parallel) || parallel < 1) usage('--parallel takes a whole number of at least 1');
const outDir = resolve(values.out ?? `vm-repeat-${Date.now()}`);
/** The vm commands running: an interrupt goes to them, so each kills its guest and cleans up before we exit. */
const running = new Set<ReturnType<typeof spawn>>();
let interrupted: NodeJS.Signals | null = null;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    interrupted ??= signal;
    for (const child of running) child.kill(signal);
  });
}

/** The verdict compared across runs: the status and, for a pass, the variant; a skip's reason too (it must be explained the same way). */
const verdictOf = (outcome: ReportedCase): string =>
  `${outcome.status}${outcome.variant ? ` «${outcome.variant}»` : ''}${outcome.status === 'skip' ? `: ${outcome.detail}` : ''}`;

function countsOf(verdicts: ReadonlyMap<string, ReportedCase>): string {
  return RUNS.map((run) => {
    const counts = { pass: 0, fail: 0, skip: 0, error: 0 };
    for (const [key, outcome] of verdicts) if (key.startsWith(`${run} › `)) counts[outcome.status] += 1;
    return `${run} ${counts.pass} pass, ${counts.fail} fail, ${counts.skip} skip, ${counts.error} error`;
  }).join('; ');
}

/** Each run in a directory of its own: vm writes reports/<release>/ under its working directory. */
function bootOnce(index: number): Promise<RunResult> {
  const dir = join(outDir, `run-${String(index).padStart(2, '0')}`);
  mkdirSync(dir, { recursive: true });
  return new Promise((done) => {
    if (interrupted)
      return done({ index, code: null, phases: '', verdicts: new Map(), counts: `not started: ${interrupted}` });
    const child = spawn(process.execPath, [BIN, 'vm', '--kernel', values.kernel ?? '', ...positionals], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    running.add(child);
    let phases = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      for (const line of chunk.split('\n'))
        if (/^nsconform vm: \w+, total /.test(line)) phases = line.replace(/^nsconform vm: /, '');
    });
    child.on('close', (code) => {
      running.delete(child);
      const verdicts = new Map<string, ReportedCase>();
      const reports = join(dir, 'reports');
      const release = existsSync(reports) ? readdirSync(reports)[0] : undefined;
      for (const run of RUNS) {
        const file = release ? join(reports, release, `${run}.json`) : '';
        if (file && existsSync(file))
          for (const [key, outcome] of readReport(file).cases) verdicts.set(`${run} › ${key}`, outcome);
      }
      const result = { index, code, phases, verdicts, counts: verdicts.size ? countsOf(verdicts) : 'no reports' };
      process.stdout.write(`run ${index}: exit ${code}; ${result.counts}; ${phases}\n`);
      done(result);
    });
  });
}

/** Cases whose verdict is not the same in every run, each with the verdicts seen and in which runs. */
function differingCases(results: readonly RunResult[]): string[] {
  const keys = new Set(results.flatMap((result) => [...result.verdicts.keys()]));
  const lines: string[] = [];
  for (const key of keys) {
    const seen = new Map<string, number[]>();
    for (const result of results) {
      const outcome = result.verdicts.get(key);
      const verdict = outcome ? verdictOf(outcome) : '(absent)';
      seen.set(verdict, [...(seen.get(verdict) ?? []), result.index]);
    }
    if (seen.size > 1) {
      lines.push(
        `${key}\n${[...seen].map(([verdict, where]) => `    runs ${where.join(',')}: ${verdict}${detailOf(results, key, where[0])}`).join('\n')}`,
      );
    }
  }
  return lines;
}

function detailOf(results: readonly RunResult[], key: string, index: number | undefined): string {
  const outcome = results.find((result) => result.index === index)?.verdicts.get(key);
  return outcome && (outcome.status === 'fail' || outcome.status === 'error')
    ? ` — ${outcome.detail.slice(0, 300)}`
    : '';
}

mkdirSync(outDir, { recursive: true });
process.stdout.write(`vm-repeat: ${runs} runs of ${values.kernel}, ${parallel} at a time, in ${outDir}\n`);
const limit = pLimit(parallel);
const results = await Promise.all(Array.from({ length: runs }, (_, index) => limit(() => bootOnce(index + 1))));
const broken = results.filter((result) => result.verdicts.size === 0);
const differing = differingCases(results.filter((result) => result.verdicts.size > 0));
for (const line of differing) process.stdout.write(`differs: ${line}\n`);
const identical = differing.length === 0 && broken.length === 0;
process.stdout.write(
  identical
    ? `vm-repeat: ${runs} identical verdicts over ${results[0]?.verdicts.size ?? 0} cases (exit codes ${results.map((result) => result.code).join(',')})\n`
    : `vm-repeat: ${differing.length} cases differ between runs; ${broken.length} runs left no reports\n`,
);
// Set by a signal handler: TypeScript cannot see that it may have changed.
const stoppedBy = interrupted as NodeJS.Signals | null;
process.exitCode = stoppedBy
  ? 128 + (constants.signals[stoppedBy] ?? 0)
  : broken.length > 0
    ? 3
    : differing.length > 0 || results.some((result) => result.code !== 0)
      ? 1
      : 0;
