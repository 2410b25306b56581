// npm run bench:cgroup: what a cgroup per case costs — the root matrix in the observer's raw C loop, with and without.
import { mkdirSync, openSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { withDir } from 'tmp-promise';
import { allFlagSets } from '../harness/flag-set.ts';
import { OBSERVER_BINARY, requireObserverBinary } from '../harness/observer/binary.ts';
import { ObserverClient } from '../harness/observer/client.ts';
import { cgroupPlace, removeCgroupTree } from '../harness/run/run-cgroup.ts';
import { CHILD_HOSTNAME } from '../suites/matrix/observation.ts';

const ROUNDS = Number(process.env.NSCONFORM_BENCH_PASSES ?? 3);

/** One pass of the 256 sets through clone3, in an observer with or without a run cgroup; ms per case. */
async function pass(cgroup: string | null, scratch: string): Promise<number> {
  const journal = { fd: openSync('/dev/null', 'a'), afterExit: () => {}, cgroup };
  const client = new ObserverClient(OBSERVER_BINARY, journal);
  try {
    const sets = allFlagSets().map((set) => set.cloneFlags);
    const record = await client.bench(1, sets, {
      path: 'clone3',
      cloneFlags: 0,
      drop: null,
      timeoutMs: 10000,
      scratch,
      hostname: CHILD_HOSTNAME,
      ops: ['msgget', 'sethostname', 'mount-tmpfs'],
    });
    if (record.bench.failed > 0) throw new Error(`${record.bench.failed} cases failed`);
    return record.bench.elapsedNs / 1e6 / record.bench.cases;
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  requireObserverBinary();
  const place = cgroupPlace();
  if (!place.ok) throw new Error(`no run cgroup here: ${place.reason}`);
  const cgroup = join(place.parent, `nsconform-run-${process.pid}-bench`);
  mkdirSync(cgroup, { mode: 0o755 });
  try {
    await withDir(
      async ({ path: scratch }) => {
        await chmod(scratch, 0o755);
        await pass(null, scratch); // warm-up, unmeasured
        const without: number[] = [];
        const within: number[] = [];
        // Alternated, so load from anything else on the machine falls on both sides alike.
        for (let round = 0; round < ROUNDS; round++) {
          without.push(await pass(null, scratch));
          within.push(await pass(cgroup, scratch));
        }
        const median = (values: number[]): number =>
          [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
        const a = median(without);
        const b = median(within);
        console.log(
          `raw C matrix (clone3, 256 sets) × ${ROUNDS}: ${a.toFixed(2)} ms/case without case cgroups, ${b.toFixed(2)} ms/case with; ratio ${(b / a).toFixed(2)}`,
        );
      },
      { prefix: 'nsconform-bench-', unsafeCleanup: true },
    );
  } finally {
    removeCgroupTree(cgroup);
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${(error as Error).message}`);
  process.exitCode = 2;
});
