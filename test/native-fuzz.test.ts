// Fuzzes the sanitizer build of the observer with seeded malformed requests and scripts, in a throw-away sandbox.
import test from 'ava';
import { runCampaign } from './fuzz/campaign.ts';
import { sanitizedObserver } from './fixtures/raw-observer.ts';

/** Fixed, so every run feeds the same input; NSCONFORM_FUZZ_SEED replays another (e.g. one `npm run fuzz` printed). */
const SEED = Number(process.env.NSCONFORM_FUZZ_SEED ?? 0x6e73c0de);
const BATCHES = 12;
const BATCH_SIZE = 250;

test(`${BATCHES * BATCH_SIZE} generated malformed requests and scripts raise no sanitizer report and get only JSON records`, async (t) => {
  t.timeout(120000);
  const result = await runCampaign(sanitizedObserver(), SEED, BATCHES, BATCH_SIZE);
  t.log(`seed ${SEED}: ${result.requests} requests, ${result.records} records in ${Math.round(result.durationMs)} ms${result.sandboxed ? ' (sandboxed)' : ' (no sandbox could be made: harmless ops only)'}`);
  if (result.failure) {
    const replay = `NSCONFORM_FUZZ_SEED=${SEED} npx ava test/native-fuzz.test.ts, or npm run fuzz -- --seed ${SEED} --batch ${result.failure.batch} --print`;
    t.fail(`fuzz seed ${SEED}, batch ${result.failure.batch} (replay: ${replay}):\n${result.failure.problems.join('\n')}`);
  }
  t.true(result.records > result.requests / 2, 'most requests were answered');
});
