// Records, from this kernel, one passing run per spec claim and mode into test/fixtures/spec-runs/: the conforming observations the claim tests break.
// Usage (as root, so both modes run): node --import tsx scripts/record-spec-runs.ts [suite...]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeEnvironment } from '../harness/env/environment.ts';
import { judgeClaim, modesOf, needsOf, observeClaim } from '../harness/script/spec-claim.ts';
import { evaluateNeeds } from '../harness/needs/index.ts';
import { withSession } from '../harness/cli/session.ts';
import { SPEC_SUITES } from '../suites/spec-suites.ts';
import { HARNESS_MODE, judgeHarnessClaim } from '../harness/script/harness-claim.ts';
import { ScriptRun } from '../harness/script/run.ts';
import type { StepRecord } from '../harness/observer/record.ts';

const DIR = new URL('../test/fixtures/spec-runs/', import.meta.url).pathname;
const wanted = new Set(process.argv.slice(2));

await withSession(2, async ({ pool, scratchDir }) => {
  const env = await probeEnvironment(pool);
  mkdirSync(DIR, { recursive: true });
  for (const suite of SPEC_SUITES) {
    if (wanted.size && !wanted.has(suite.name)) continue;
    const fixtures: Record<string, Record<string, StepRecord[]>> = {};
    for (const claim of suite.claims) {
      for (const mode of modesOf(claim)) {
        if (evaluateNeeds(needsOf(claim, mode), env).met !== true) continue;
        const observed = await observeClaim(claim, mode, { pool, env, scratchDir, timeoutMs: 20000 });
        if (!observed.ok) {
          console.log(`${suite.name} › ${claim.key} [${mode}]: not recorded: ${observed.error}`);
          continue;
        }
        const verdict = judgeClaim(claim, observed.observation);
        if (!verdict.pass) {
          console.log(`${suite.name} › ${claim.key} [${mode}]: not recorded, it fails: expected ${verdict.expected}; got ${verdict.actual}`);
          continue;
        }
        (fixtures[claim.key] ??= {})[mode] = observed.observation.run.record.steps;
      }
    }
    for (const claim of suite.harnessClaims) {
      if (evaluateNeeds(claim.needs ?? [], env).met !== true) continue;
      const run = new ScriptRun({ steps: claim.gather() });
      const verdict = judgeHarnessClaim(claim, run);
      if (!verdict.pass) {
        console.log(`${suite.name} › ${claim.key} [${HARNESS_MODE}]: not recorded, it fails: expected ${verdict.expected}; got ${verdict.actual}`);
        continue;
      }
      (fixtures[claim.key] ??= {})[HARNESS_MODE] = run.record.steps;
    }
    writeFileSync(join(DIR, `${suite.name}.json`), `${JSON.stringify(fixtures, null, 1)}\n`);
    console.log(`${suite.name}: ${Object.keys(fixtures).length}/${suite.claims.length + suite.harnessClaims.length} claims recorded`);
  }
});
