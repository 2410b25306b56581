// Fuzzes the sanitizer build of the observer with seeded malformed requests and scripts, in a throw-away sandbox.
import test from 'ava';
import { runCampaign } from './fuzz/campaign.ts';
import { sanitizedObserver } from './fixtures/raw-observer.ts';

/** Fixed, so every run feeds the same input; NSCONFORM_FUZZ_SEED replays another (e.g. one `npm run fuzz` printed). */
const SEED_TEXT = process.env.NSCONFORM_FUZZ_SEED ?? String(0x6e73c0de);
const SEED = Number(SEED_TEXT);
const BATCHES = 12;
const BATCH_SIZE = 250;
/** About 10 s on an idle 2-core machine; on a busy one the batches started within 20 s (at least 4: 1000 requests). */
const BOUND = { budgetMs: 20000, minBatches: 4 };

test('thousands of generated malformed requests and scripts raise no sanitizer report and get only JSON records', async (t) => {
  t.timeout(120000);
  if (!/^\d+$/.test(SEED_TEXT) || SEED >= 2 ** 32)
    return t.fail(`NSCONFORM_FUZZ_SEED must be a whole number below 2^32, not ${JSON.stringify(SEED_TEXT)}`);
  const result = await runCampaign(sanitizedObserver(), SEED, BATCHES, BATCH_SIZE, BOUND);
  t.log(
    `seed ${SEED}: ${result.requests} requests, ${result.records} records in ${Math.round(result.durationMs)} ms${result.sandboxed ? ' (sandboxed)' : ' (no sandbox could be made: harmless ops only)'}`,
  );
  if (result.failure) {
    const replay = `NSCONFORM_FUZZ_SEED=${SEED} npx ava test/native-fuzz.test.ts, or npm run fuzz -- --seed ${SEED} --batch ${result.failure.batch} --print`;
    t.fail(
      `fuzz seed ${SEED}, batch ${result.failure.batch} (replay: ${replay}):\n${result.failure.problems.join('\n')}`,
    );
  }
  t.true(result.records > result.requests / 2, 'most requests were answered');
});
