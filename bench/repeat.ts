// npm run bench:repeat: the cost of --repeat 1, 2 and 4 on one selection, as ratios to a single run.
import { probeEnvironment } from '../harness/env/environment.ts';
import { withSession } from '../harness/cli/session.ts';
import { RunEvents } from '../harness/run/events.ts';
import { filterGroups } from '../harness/run/filter.ts';
import { runRepeated } from '../harness/run/repeat.ts';
import { runGroups } from '../harness/run/runner.ts';
import { loadSuites } from '../suites/registry.ts';

const { suites: SUITES } = await loadSuites();

const ONLY = process.env.NSCONFORM_BENCH_ONLY ?? 'matrix › *';
const REPEATS = [1, 2, 4];
const CONCURRENCY = Number(process.env.NSCONFORM_BENCH_CONCURRENCY ?? 2);
/** The fastest of several trials: other load on the machine only ever adds time. */
const TRIALS = Number(process.env.NSCONFORM_BENCH_TRIALS ?? 3);

const groups = filterGroups(
  SUITES.flatMap((suite) => suite.groups()),
  { only: [ONLY], modes: ['root', 'unprivileged'], paths: ['clone3', 'unshare', 'clone'] },
);
const cases = groups.reduce((sum, group) => sum + group.cases.length, 0);

await withSession(CONCURRENCY, async ({ pool, scratchDir }) => {
  const env = await probeEnvironment(pool, { busybox: false });
  const context = { pool, env, scratchDir, timeoutMs: 10000 };
  // One unmeasured round warms the observers and the page cache.
  await runGroups(groups, context, new RunEvents());
  const timings: Array<[number, number]> = [];
  for (const times of REPEATS) {
    let best = Infinity;
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const started = performance.now();
      const results = await runRepeated(groups, context, new RunEvents(), times);
      best = Math.min(best, performance.now() - started);
      if (results.length !== cases) throw new Error(`--repeat ${times}: ${results.length} results for ${cases} cases`);
    }
    timings.push([times, best]);
  }
  const base = timings[0]![1];
  process.stdout.write(
    `--repeat on ${JSON.stringify(ONLY)}: ${cases} cases, concurrency ${CONCURRENCY}, best of ${TRIALS} trials\n`,
  );
  for (const [times, ms] of timings) {
    process.stdout.write(
      `  --repeat ${times}: ${(ms / 1000).toFixed(2)} s, ${(ms / base).toFixed(2)}× a single run, ${(ms / base / times).toFixed(2)} per repeat (1.00 is linear)\n`,
    );
  }
});
