// Records, from this kernel, one passing run per spec claim and mode into test/fixtures/spec-runs/: the conforming observations the claim tests break.
// Usage (as root: the unprivileged mode then runs as the uid the creator drops to): node --import tsx scripts/record-spec-runs.ts [suite | suite:claim-key ...]
// The cases run through the runner, as in a real run; each recorded run carries the kernel release, machine and date. A claim that cannot be
// recorded keeps its old run and is listed with the reason; with suite:claim-key only that claim is recorded and the suite's other runs stay as they were.
// spec/COVERAGE.md, which names the kernel of each claim's recorded runs, is rewritten after.
import { writeFileSync } from 'node:fs';
import { machine, release } from 'node:os';
import type { CaseResult, ObservationGroup } from '../harness/case.ts';
import { probeEnvironment } from '../harness/env/environment.ts';
import { containmentRestriction, explain } from '../harness/env/restrictions.ts';
import { withSession } from '../harness/cli/session.ts';
import { RunEvents } from '../harness/run/events.ts';
import { runGroups } from '../harness/run/runner.ts';
import { HARNESS_MODE } from '../harness/script/harness-claim.ts';
import { ScriptRun } from '../harness/script/run.ts';
import { modesOf, type SpecObservation, type SpecSuite } from '../harness/script/spec-claim.ts';
import type { StepRecord } from '../harness/observer/record.ts';
import { COVERAGE_PATH, currentCoverage } from '../harness/spec/coverage.ts';
import { loadSuites } from '../suites/registry.ts';
import { readSpecRuns, specRunPath, type RecordedRun, type SpecRunFile } from '../test/fixtures/spec-run-file.ts';

const { suites, specSuites } = await loadSuites();
const wanted = process.argv
  .slice(2)
  .map((arg) => ({ suite: arg.split(':')[0]!, key: arg.includes(':') ? arg.slice(arg.indexOf(':') + 1) : null }));
const unknown = wanted.filter(({ suite, key }) => {
  const found = specSuites.find((each) => each.name === suite);
  return !found || (key !== null && ![...found.claims, ...found.harnessClaims].some((claim) => claim.key === key));
});
if (unknown.length) {
  const names = unknown.map(({ suite, key }) => (key === null ? suite : `${suite}:${key}`)).join(', ');
  console.error(
    `record-spec-runs: no such suite or claim: ${names} (suites: ${specSuites.map((suite) => suite.name).join(', ')})`,
  );
  process.exit(2);
}
const date = new Date().toISOString().slice(0, 10);
const stamp = (steps: StepRecord[]): RecordedRun => ({ kernel: release(), machine: machine(), date, steps });
const notRecorded: string[] = [];

/** Whether a claim of the suite is recorded in this run: every claim of a named suite, or only the claims named. */
function selected(suite: string, key: string): boolean {
  if (!wanted.length) return true;
  return wanted.some((entry) => entry.suite === suite && (entry.key === null || entry.key === key));
}

/** The suite's groups to record, each judge wrapped so a passing observation's steps are kept. */
function recordingGroups(suite: SpecSuite, passed: Map<string, StepRecord[]>): ObservationGroup[] {
  return suite
    .groups()
    .filter((group) => group.cases.every(({ info }) => selected(suite.name, info.properties.key ?? '')))
    .map((group) => ({
      ...group,
      cases: group.cases.map((judged) => ({
        ...judged,
        judge: (observation: unknown) => {
          const verdict = judged.judge(observation);
          const run = observation instanceof ScriptRun ? observation : (observation as SpecObservation).run;
          if (verdict.pass) passed.set(judged.info.id, run.record.steps);
          return verdict;
        },
      })),
    }));
}

function whyNot(result: CaseResult): string {
  const { outcome } = result;
  if (outcome.status === 'skip') return `not run here: ${outcome.reason}`;
  if (outcome.status === 'fail') return `it does not pass: expected ${outcome.expected}; got ${outcome.actual}`;
  return outcome.status === 'error' ? outcome.message : 'it passed but its steps were not kept';
}

await withSession(2, async ({ pool, scratchDir }) => {
  const env = await probeEnvironment(pool);
  // Contained as in a run (harness/cli/run.ts): a recording is the observation a run makes.
  const uncontainedBy = containmentRestriction(env);
  await pool.setUncontained(uncontainedBy ? explain(uncontainedBy) : null);
  for (const suite of specSuites) {
    if (wanted.length && !wanted.some((entry) => entry.suite === suite.name)) continue;
    const passed = new Map<string, StepRecord[]>();
    const results = await runGroups(
      recordingGroups(suite, passed),
      { pool, env, scratchDir, timeoutMs: 20000 },
      new RunEvents(),
    );
    const byKeyAndMode = new Map(
      results.map((result) => [`${result.info.properties.key}:${result.info.properties.mode ?? HARNESS_MODE}`, result]),
    );
    // Rebuilt from the claims the suite has now: runs of claims that are gone are dropped.
    const previous = readSpecRuns(suite.name);
    const fixtures: SpecRunFile = {};
    let recorded = 0;
    const current = [
      ...suite.claims.flatMap((claim) => modesOf(claim).map((mode) => [claim.key, mode] as const)),
      ...suite.harnessClaims.map((claim) => [claim.key, HARNESS_MODE] as const),
    ];
    // Claims already recorded keep their place in the file, new ones follow: a recording changes only the runs it made.
    const place = (key: string): number => (key in previous ? Object.keys(previous).indexOf(key) : Infinity);
    const entries = current
      .map((entry, index) => ({ entry, index }))
      .sort((a, b) => place(a.entry[0]) - place(b.entry[0]) || a.index - b.index)
      .map(({ entry }) => entry);
    for (const [key, mode] of entries) {
      const old = previous[key]?.[mode];
      const result = byKeyAndMode.get(`${key}:${mode}`);
      const steps = result && passed.get(result.info.id);
      if (steps) {
        (fixtures[key] ??= {})[mode] = stamp(steps);
        recorded += 1;
        continue;
      }
      if (old) (fixtures[key] ??= {})[mode] = old;
      if (result)
        notRecorded.push(
          `${suite.name} › ${key} [${mode}]: ${whyNot(result)}${old ? ` (kept the run of ${old.date} on ${old.kernel})` : ' (no run kept)'}`,
        );
    }
    writeFileSync(specRunPath(suite.name), `${JSON.stringify(fixtures, null, 1)}\n`);
    console.log(`${suite.name}: ${recorded} runs recorded on ${release()} (${machine()}), ${date}`);
  }
});
writeFileSync(
  COVERAGE_PATH,
  currentCoverage(suites.flatMap((suite) => suite.groups().flatMap((group) => group.cases.map(({ info }) => info)))),
);
console.log(`wrote ${COVERAGE_PATH}`);
if (notRecorded.length) {
  console.log(`not recorded (${notRecorded.length}):\n  ${notRecorded.join('\n  ')}`);
  process.exitCode = 1;
}
