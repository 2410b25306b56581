// npm run bench: the root matrix through the harness, and the same requests in the observer's raw C loop, in one run.
import { chmod } from 'node:fs/promises';
import { withDir } from 'tmp-promise';
import { CREATION_PATHS } from '../harness/creation-path.ts';
import { allFlagSets } from '../harness/flag-set.ts';
import { OBSERVER_BINARY, requireObserverBinary } from '../harness/observer/binary.ts';
import { ObserverClient } from '../harness/observer/client.ts';
import { opsFor, CHILD_HOSTNAME } from '../suites/matrix/observation.ts';

const PASSES = Number(process.env.NSCONFORM_BENCH_PASSES ?? 3);
const TIMEOUT_MS = 10000;

/**
 * Both sides run on one observer, one case at a time, root mode: the only difference is the
 * Node side (request encoding, JSON parsing, promise per case). The raw loop gets every
 * op the matrix asks for; the observer itself runs sethostname only with CLONE_NEWUTS and
 * mounts only with CLONE_NEWNS, which is what opsFor() asks for too.
 */
async function benchPath(
  client: ObserverClient,
  pathName: (typeof CREATION_PATHS)[number]['name'],
  scratch: string,
): Promise<{ harnessMs: number; rawMs: number; cases: number }> {
  const sets = allFlagSets();
  const request = (flags: number, ops: ReturnType<typeof opsFor>) => ({
    path: pathName,
    cloneFlags: flags,
    drop: null,
    timeoutMs: TIMEOUT_MS,
    scratch,
    hostname: CHILD_HOSTNAME,
    ops,
  });
  const path = CREATION_PATHS.find((entry) => entry.name === pathName)!;
  let started = performance.now();
  for (let pass = 0; pass < PASSES; pass++) {
    for (const flagSet of sets) {
      const record = await client.run(request(flagSet.cloneFlags, opsFor({ flagSet, path, mode: 'root' })));
      if (record.outcome !== 'observed') throw new Error(`${pathName} ${flagSet.name}: ${record.outcome}`);
    }
  }
  const harnessMs = performance.now() - started;
  started = performance.now();
  const raw = await client.bench(
    PASSES,
    sets.map((set) => set.cloneFlags),
    request(0, ['msgget', 'sethostname', 'mount-tmpfs']),
  );
  const wallMs = performance.now() - started;
  if (raw.bench.failed > 0) throw new Error(`raw loop: ${raw.bench.failed} cases failed`);
  return { harnessMs, rawMs: Math.min(wallMs, raw.bench.elapsedNs / 1e6), cases: raw.bench.cases };
}

async function main(): Promise<void> {
  if (process.geteuid?.() !== 0) throw new Error('npm run bench runs the root matrix: run it as root');
  requireObserverBinary();
  await withDir(
    async ({ path: scratch }) => {
      await chmod(scratch, 0o755);
      const client = new ObserverClient(OBSERVER_BINARY);
      try {
        // One unmeasured pass first, so the first path measured does not also pay for Node's JIT warm-up.
        await benchPath(client, 'clone3', scratch);
        let totalHarness = 0;
        let totalRaw = 0;
        for (const path of CREATION_PATHS) {
          const { harnessMs, rawMs, cases } = await benchPath(client, path.name, scratch);
          totalHarness += harnessMs;
          totalRaw += rawMs;
          console.log(
            `${path.name.padEnd(8)} ${cases} cases: harness ${harnessMs.toFixed(1)} ms, raw C ${rawMs.toFixed(1)} ms, ratio ${(harnessMs / rawMs).toFixed(2)}`,
          );
        }
        console.log(
          `all paths: harness ${totalHarness.toFixed(1)} ms, raw C ${totalRaw.toFixed(1)} ms, ratio ${(totalHarness / totalRaw).toFixed(2)} (target ≤ 1.5)`,
        );
      } finally {
        await client.close();
      }
    },
    { prefix: 'nsconform-bench-', unsafeCleanup: true },
  );
}

main().catch((error: unknown) => {
  console.error(`bench: ${(error as Error).message}`);
  process.exitCode = 2;
});
