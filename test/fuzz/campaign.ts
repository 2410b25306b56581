// A fuzz campaign: the seed's batches, two observers at a time, in a scratch dir of crafted files; shared by the
// npm test run (fixed seed, fixed size) and `npm run fuzz` (fresh seeds, as long as asked).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDir } from 'tmp-promise';
import { craftedFiles, generateBatch, Rng } from './generate.ts';
import { fuzzBatch, sandboxWrapper } from './sandbox.ts';

export interface CampaignResult {
  requests: number;
  records: number;
  durationMs: number;
  sandboxed: boolean;
  /** The first batch that found something, with what. */
  failure?: { batch: number; problems: string[] };
}

/** Batch i of a seed: its own generator, so one batch can be replayed alone. */
export function batchInput(seed: number, batch: number, size: number): string {
  return generateBatch(new Rng(seed ^ Math.imul(batch + 1, 0x9e3779b1)), size);
}

export interface CampaignBound {
  /** No batch starts after this much time, once `minBatches` have started: a busy machine runs a prefix of the seed. */
  budgetMs: number;
  minBatches: number;
}

export async function runCampaign(
  binary: string,
  seed: number,
  batches: number,
  size: number,
  bound?: CampaignBound,
): Promise<CampaignResult> {
  const wrapper = sandboxWrapper();
  const started = performance.now();
  return withDir(
    async ({ path }) => {
      for (const [name, content] of Object.entries(craftedFiles(new Rng(seed))))
        writeFileSync(join(path, name), content);
      let next = 0;
      let records = 0;
      const failures: NonNullable<CampaignResult['failure']>[] = [];
      const worker = async (): Promise<void> => {
        while (next < batches && failures.length === 0) {
          if (bound && next >= bound.minBatches && performance.now() - started > bound.budgetMs) return;
          const batch = next++;
          const verdict = await fuzzBatch(binary, batchInput(seed, batch, size), path, wrapper);
          records += verdict.records;
          if (verdict.problems.length) failures.push({ batch, problems: verdict.problems });
        }
      };
      await Promise.all([worker(), worker()]); // two observers at a time: this machine's cores, shared with the other tests
      const failure = failures.sort((a, b) => a.batch - b.batch)[0];
      return {
        requests: Math.min(next, batches) * size,
        records,
        durationMs: performance.now() - started,
        sandboxed: wrapper !== null,
        failure,
      };
    },
    { unsafeCleanup: true },
  );
}
