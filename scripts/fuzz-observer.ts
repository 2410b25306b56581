// `npm run fuzz`: fuzzes the sanitizer build of the observer with fresh seeds for a while (npm test runs one fixed seed).
// Options: --seconds N (default 60), --seed S (one seed only), --batch B --print (write that batch's input to stdout),
// --libfuzzer (coverage-guided, in-process: the request, step and mount-table parsers; needs clang).
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { withDir } from 'tmp-promise';
import { batchInput, runCampaign } from '../test/fuzz/campaign.ts';
import { craftedFiles, Rng } from '../test/fuzz/generate.ts';
import { sanitizedObserver } from '../test/fixtures/raw-observer.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const BATCHES = 12;
const BATCH_SIZE = 250;

function fail(message: string): never {
  process.stderr.write(`nsconform fuzz: ${message}\n`);
  process.exit(2);
}

function wholeNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) fail(`--${name} must be a whole number, not ${JSON.stringify(text)}`);
  return Number(text);
}

let options;
try {
  options = parseArgs({
    options: {
      seconds: { type: 'string' },
      seed: { type: 'string' },
      batch: { type: 'string' },
      print: { type: 'boolean' },
      libfuzzer: { type: 'boolean' },
    },
  }).values;
} catch (error) {
  fail((error as Error).message);
}
const seconds = wholeNumber('seconds', options.seconds, 60);
const fixedSeed = options.seed === undefined ? undefined : wholeNumber('seed', options.seed, 0);

if (options.print) {
  if (fixedSeed === undefined || options.batch === undefined) fail('--print needs --seed and --batch');
  process.stdout.write(
    Buffer.from(batchInput(fixedSeed, wholeNumber('batch', options.batch, 0), BATCH_SIZE), 'latin1'),
  );
  process.exit(0);
}

/** libFuzzer from a corpus of generated inputs (first byte: odd = a mount table, even = a request and its steps). */
async function runLibFuzzer(): Promise<number> {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-native.js'), '--libfuzzer'], {
    stdio: 'inherit',
  });
  if (build.status !== 0) return 2;
  const artifacts = join(ROOT, 'reports', 'fuzz');
  mkdirSync(artifacts, { recursive: true });
  return withDir(
    ({ path }) => {
      const rng = new Rng(fixedSeed ?? randomInt(2 ** 32));
      for (let i = 0; i < 16; i++)
        writeFileSync(join(path, `request-${i}`), Buffer.from(`\0${batchInput(rng.int(2 ** 32), 0, 1)}`, 'latin1'));
      for (const [name, content] of Object.entries(craftedFiles(rng)))
        writeFileSync(join(path, `table-${name}`), Buffer.concat([Buffer.from([1]), Buffer.from(content)]));
      const binary = join(ROOT, 'native', 'build', 'nsconform-parse-fuzzer');
      const run = spawnSync(
        binary,
        [`-max_total_time=${seconds}`, '-max_len=16384', `-artifact_prefix=${artifacts}/`, path],
        { stdio: 'inherit' },
      );
      if (run.status !== 0)
        process.stderr.write(
          `libFuzzer found something: the input is in ${artifacts}/ (replay: ${binary} <that file>)\n`,
        );
      return Promise.resolve(run.status ?? 1);
    },
    { unsafeCleanup: true },
  );
}

if (options.libfuzzer) process.exit(await runLibFuzzer());

const binary = sanitizedObserver();
const until = Date.now() + seconds * 1000;
let requests = 0;
do {
  const seed = fixedSeed ?? randomInt(2 ** 32);
  const result = await runCampaign(binary, seed, BATCHES, BATCH_SIZE);
  requests += result.requests;
  if (result.failure) {
    process.stderr.write(
      `seed ${seed}, batch ${result.failure.batch} (print it: npm run fuzz -- --seed ${seed} --batch ${result.failure.batch} --print):\n`,
    );
    process.stderr.write(`${result.failure.problems.join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `seed ${seed}: ${result.requests} requests, no finding (${Math.round(result.durationMs)} ms${result.sandboxed ? ', sandboxed' : ''})\n`,
  );
} while (fixedSeed === undefined && Date.now() < until);
process.stdout.write(`${requests} requests, no finding\n`);
