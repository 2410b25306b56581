// Every spec claim: its checks read steps its script has, a recorded conforming run passes, and breaking what any one check reads fails it.
import { existsSync, readFileSync } from 'node:fs';
import test from 'ava';
import type { ScriptIdentity } from '../harness/script/builder.ts';
import { judgeChecks, violate, type Check } from '../harness/script/checks.ts';
import { ScriptRun } from '../harness/script/run.ts';
import { modesOf } from '../harness/script/spec-claim.ts';
import { HARNESS_MODE } from '../harness/script/harness-claim.ts';
import type { StepRecord } from '../harness/observer/record.ts';
import { SPEC_SUITES } from '../suites/spec-suites.ts';
import { makeEnvironment } from './fixtures/environment.ts';

const ENV = makeEnvironment();

const WHO: Record<string, ScriptIdentity> = {
  root: { mode: 'root', uid: 0, gid: 0 },
  unprivileged: { mode: 'unprivileged', uid: 64646, gid: 64646 },
};

function labelsOf(check: Check): string[] {
  switch (check.kind) {
    case 'equals':
    case 'matches':
    case 'includes':
    case 'excludes':
      return [check.ref.step];
    case 'same':
    case 'differ':
      return [check.a.step, check.b.step];
    case 'compare':
      return typeof check.b === 'number' ? [check.a.step] : [check.a.step, check.b.step];
    default:
      return [check.step];
  }
}

function fixturesOf(suite: string): Record<string, Record<string, StepRecord[]>> {
  const file = new URL(`fixtures/spec-runs/${suite}.json`, import.meta.url);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, StepRecord[]>>) : {};
}

for (const suite of SPEC_SUITES) {
  const fixtures = fixturesOf(suite.name);
  test(`${suite.name}: claim keys are unique`, (t) => {
    const keys = suite.claims.map((claim) => claim.key);
    t.deepEqual([...new Set(keys)], keys);
  });
  for (const claim of suite.harnessClaims) {
    test(`${suite.name} › ${claim.key} [${HARNESS_MODE}]: a conforming run passes and each broken check fails`, (t) => {
      const steps = fixtures[claim.key]?.[HARNESS_MODE];
      if (!steps) return t.fail(`no recorded run: run "node --import tsx scripts/record-spec-runs.ts ${suite.name}"`);
      const checks = claim.checks();
      t.true(checks.length > 0, 'a claim that checks nothing');
      const labels = new Set(steps.map((step) => step.l));
      for (const check of checks) for (const label of labelsOf(check)) t.true(labels.has(label), `check reads ${label}, which the harness does not gather`);
      t.deepEqual(judgeChecks(checks, new ScriptRun({ steps })), { pass: true });
      for (const check of checks) t.false(judgeChecks(checks, new ScriptRun(violate({ steps }, check))).pass, `breaking ${check.kind} on ${labelsOf(check).join(', ')} still passed`);
    });
  }
  for (const claim of suite.claims) {
    for (const mode of modesOf(claim)) {
      const who = WHO[mode]!;
      test(`${suite.name} › ${claim.key} [${mode}]: checks read the script's own steps`, (t) => {
        const script = claim.script(who, ENV);
        const checks = claim.checks(who);
        t.true(checks.length > 0, 'a claim that checks nothing');
        for (const check of checks) for (const label of labelsOf(check)) t.true(script.has(label), `check reads step ${label}, which the script does not have`);
      });
      test(`${suite.name} › ${claim.key} [${mode}]: a conforming run passes and each broken check fails`, (t) => {
        const steps = fixtures[claim.key]?.[mode];
        if (!steps) return t.fail(`no recorded run: run "node --import tsx scripts/record-spec-runs.ts ${suite.name}" as root`);
        const script = claim.script(who, ENV);
        const checks = claim.checks(who);
        t.deepEqual(judgeChecks(checks, new ScriptRun({ steps }), script), { pass: true });
        for (const check of checks) {
          const verdict = judgeChecks(checks, new ScriptRun(violate({ steps }, check)), script);
          t.false(verdict.pass, `breaking ${JSON.stringify(check, (_, value: unknown) => (value instanceof RegExp ? String(value) : value))} still passed`);
        }
      });
    }
  }
}
