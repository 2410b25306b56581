// Records, from this kernel, one passing run per spec claim and mode into test/fixtures/spec-runs/: the conforming observations the claim tests break.
// Usage (as root: the unprivileged mode then runs as the uid the creator drops to): node --import tsx scripts/record-spec-runs.ts [suite...]
// Each run carries the kernel release, machine and date; a claim that cannot be recorded keeps its old run and is listed with the reason.
import { writeFileSync } from 'node:fs';
import { machine, release } from 'node:os';
import { describeVerdict } from '../harness/case.ts';
import { probeEnvironment } from '../harness/env/environment.ts';
import { judgeClaim, modesOf, claimNeeds, observeClaim } from '../harness/script/spec-claim.ts';
import { evaluateNeeds } from '../harness/needs/index.ts';
import { withSession } from '../harness/cli/session.ts';
import { SPEC_SUITES } from '../suites/spec-suites.ts';
import { HARNESS_MODE, judgeHarnessClaim } from '../harness/script/harness-claim.ts';
import { ScriptRun } from '../harness/script/run.ts';
import type { StepRecord } from '../harness/observer/record.ts';
import { readSpecRuns, specRunPath, type RecordedRun, type SpecRunFile } from '../test/fixtures/spec-run-file.ts';

const wanted = new Set(process.argv.slice(2));
const unknown = [...wanted].filter((name) => !SPEC_SUITES.some((suite) => suite.name === name));
if (unknown.length) {
  console.error(`record-spec-runs: no such suite: ${unknown.join(', ')} (suites: ${SPEC_SUITES.map((suite) => suite.name).join(', ')})`);
  process.exit(2);
}
const date = new Date().toISOString().slice(0, 10);
const stamp = (steps: StepRecord[]): RecordedRun => ({ kernel: release(), machine: machine(), date, steps });
const notRecorded: string[] = [];

await withSession(2, async ({ pool, scratchDir }) => {
  const env = await probeEnvironment(pool);
  for (const suite of SPEC_SUITES) {
    if (wanted.size && !wanted.has(suite.name)) continue;
    // Rebuilt from the claims the suite has now: runs of claims that are gone are dropped.
    const previous = readSpecRuns(suite.name);
    const fixtures: SpecRunFile = {};
    let recorded = 0;
    const keep = (key: string, mode: string, why: string): void => {
      const old = previous[key]?.[mode];
      if (old) (fixtures[key] ??= {})[mode] = old;
      notRecorded.push(`${suite.name} › ${key} [${mode}]: ${why}${old ? ` (kept the run of ${old.date} on ${old.kernel})` : ' (no run kept)'}`);
    };
    for (const claim of suite.claims) {
      for (const mode of modesOf(claim)) {
        const needs = evaluateNeeds(claimNeeds(claim, mode), env);
        if (needs.met !== true) {
          keep(claim.key, mode, `not run here: ${needs.reason}`);
          continue;
        }
        const observed = await observeClaim(claim, mode, { pool, env, scratchDir, timeoutMs: 20000 });
        if (!observed.ok) {
          keep(claim.key, mode, observed.error);
          continue;
        }
        const verdict = judgeClaim(claim, observed.observation);
        if (!verdict.pass) {
          keep(claim.key, mode, `it does not pass: ${describeVerdict(verdict)}`);
          continue;
        }
        (fixtures[claim.key] ??= {})[mode] = stamp(observed.observation.run.record.steps);
        recorded += 1;
      }
    }
    for (const claim of suite.harnessClaims) {
      const needs = evaluateNeeds(claim.needs ?? [], env);
      if (needs.met !== true) {
        keep(claim.key, HARNESS_MODE, `not run here: ${needs.reason}`);
        continue;
      }
      const run = new ScriptRun({ steps: claim.gather() });
      const verdict = judgeHarnessClaim(claim, run);
      if (!verdict.pass) {
        keep(claim.key, HARNESS_MODE, `it does not pass: ${describeVerdict(verdict)}`);
        continue;
      }
      (fixtures[claim.key] ??= {})[HARNESS_MODE] = stamp(run.record.steps);
      recorded += 1;
    }
    writeFileSync(specRunPath(suite.name), `${JSON.stringify(fixtures, null, 1)}\n`);
    console.log(`${suite.name}: ${recorded} runs recorded on ${release()} (${machine()}), ${date}`);
  }
});
if (notRecorded.length) {
  console.log(`not recorded (${notRecorded.length}):\n  ${notRecorded.join('\n  ')}`);
  process.exitCode = 1;
}
