// Every spec claim: its checks read steps its script has, a recorded conforming run passes, breaking what one check reads makes that very check fail,
// and a value the observer made up where a check reads (IOC-04's, IOC-10's, SETNS-05's errno EINVAL) makes the case an error.
import test from 'ava';
import type { ScriptIdentity } from '../harness/script/builder.ts';
import { judgeCheck, judgeChecks, readsOf, violate, type Check } from '../harness/script/checks.ts';
import { ScriptRun } from '../harness/script/run.ts';
import { judgeClaim, modesOf, variantsOf } from '../harness/script/spec-claim.ts';
import { HARNESS_MODE } from '../harness/script/harness-claim.ts';
import { describeVerdict } from '../harness/case.ts';
import type { StepRecord } from '../harness/observer/record.ts';
import { makeEnvironment } from './fixtures/environment.ts';
import { readSpecRuns } from './fixtures/spec-run-file.ts';
import { vacuityOf } from './fixtures/vacuous-checks.ts';
import { loadSuites } from '../suites/registry.ts';

const { specSuites: SPEC_SUITES } = await loadSuites();

const ENV = makeEnvironment();

const WHO: Record<string, ScriptIdentity> = {
  root: { mode: 'root', uid: 0, gid: 0 },
  unprivileged: { mode: 'unprivileged', uid: 64646, gid: 64646 },
};

const show = (check: Check): string =>
  JSON.stringify(check, (_, value: unknown) => (value instanceof RegExp ? String(value) : value));

/**
 * Per-check falsifiability: the violation breaks only what `check` reads, so `check` must fail on it (judged
 * alone — a sibling reading the same field cannot hide a check that fails on nothing), and so must the claim.
 * An earlier check may fail first only when it reads a step this one reads: then it failed on the same broken value.
 */
function assertFalsifiable(
  t: { true: (value: boolean, message?: string) => void; false: (value: boolean, message?: string) => void },
  checks: readonly Check[],
  steps: StepRecord[],
): number {
  let first = 0;
  checks.forEach((check, index) => {
    const broken = new ScriptRun(violate({ steps }, check));
    t.false(
      judgeCheck(check, broken) === null,
      `breaking what ${show(check)} reads does not make it fail: it can never fail`,
    );
    t.false(judgeChecks(checks, broken).pass, `breaking ${show(check)} left the claim passing`);
    const failing = checks.findIndex((other) => judgeCheck(other, broken) !== null);
    if (failing === index) first += 1;
    else
      t.true(
        failing >= 0 && readsOf(checks[failing]!).some((label) => readsOf(check).includes(label)),
        `breaking ${show(check)} first fails ${show(checks[failing]!)}, which reads other steps`,
      );
  });
  return first;
}

/** Marks each step one check reads as the observer's own (an unresolved reference): the verdict must be an error, never pass or fail. */
function assertMadeUpIsError(
  t: { true: (value: boolean, message?: string) => void },
  checks: readonly Check[],
  steps: StepRecord[],
): void {
  for (const check of checks) {
    const marked = structuredClone(steps).map((step) =>
      readsOf(check).includes(step.l)
        ? { ...step, r: -1, e: 'EINVAL', bad: 'unresolved reference: step x has no result' }
        : step,
    );
    const verdict = judgeChecks(checks, new ScriptRun({ steps: marked }));
    t.true(
      !verdict.pass && verdict.error !== undefined,
      `a made-up EINVAL on ${readsOf(check).join(', ')} gave ${describeVerdict(verdict)}`,
    );
  }
}

let checksSeen = 0;
let firstToFail = 0;

for (const suite of SPEC_SUITES) {
  const fixtures = readSpecRuns(suite.name);
  test(`${suite.name}: claim keys are unique`, (t) => {
    const keys = suite.claims.map((claim) => claim.key);
    t.deepEqual([...new Set(keys)], keys);
  });
  for (const claim of suite.harnessClaims) {
    test(`${suite.name} › ${claim.key} [${HARNESS_MODE}]: a conforming run passes and each broken check fails itself`, (t) => {
      const recorded = fixtures[claim.key]?.[HARNESS_MODE];
      if (!recorded) return t.fail(`no recorded run: run "npm run record-spec-runs -- ${suite.name}"`);
      const checks = claim.checks();
      t.true(checks.length > 0, 'a claim that checks nothing');
      t.deepEqual(checks.flatMap(vacuityOf(checks)), []);
      const labels = new Set(recorded.steps.map((step) => step.l));
      for (const check of checks)
        for (const label of readsOf(check))
          t.true(labels.has(label), `check reads ${label}, which the harness does not gather`);
      t.deepEqual(judgeChecks(checks, new ScriptRun({ steps: recorded.steps })), { pass: true });
      checksSeen += checks.length;
      firstToFail += assertFalsifiable(t, checks, recorded.steps);
      assertMadeUpIsError(t, checks, recorded.steps);
    });
  }
  for (const claim of suite.claims) {
    for (const mode of modesOf(claim)) {
      const who = WHO[mode]!;
      test(`${suite.name} › ${claim.key} [${mode}]: checks read the script's own steps, and none can never fail`, (t) => {
        const script = claim.script(who, ENV);
        const checks = claim.checks(who);
        t.true(checks.length > 0, 'a claim that checks nothing');
        const variantChecks = variantsOf(claim, mode).map((variant) => variant.checks(who));
        for (const check of [...checks, ...variantChecks.flat()])
          for (const label of readsOf(check))
            t.true(script.has(label), `check reads step ${label}, which the script does not have`);
        t.deepEqual(checks.flatMap(vacuityOf(checks)), []);
        for (const own of variantChecks)
          t.deepEqual(own.flatMap(vacuityOf(own)), [], 'a variant check that cannot fail');
      });
      test(`${suite.name} › ${claim.key} [${mode}]: a conforming run passes and each broken check fails itself`, (t) => {
        const recorded = fixtures[claim.key]?.[mode];
        if (!recorded) return t.fail(`no recorded run: run "npm run record-spec-runs -- ${suite.name}" as root`);
        t.regex(recorded.kernel, /\S/, 'the run names its kernel');
        t.regex(recorded.date, /^\d{4}-\d\d-\d\d$/, 'the run carries its date');
        const script = claim.script(who, ENV);
        const checks = claim.checks(who);
        const verdict = judgeChecks(checks, new ScriptRun({ steps: recorded.steps }), script);
        t.true(verdict.pass, describeVerdict(verdict));
        const claimVerdict = judgeClaim(claim, { who, script, run: new ScriptRun({ steps: recorded.steps }) });
        t.true(
          claimVerdict.pass && (claim.variants === undefined || claimVerdict.variant !== undefined),
          `with its variants: ${describeVerdict(claimVerdict)}`,
        );
        checksSeen += checks.length;
        firstToFail += assertFalsifiable(t, checks, recorded.steps);
        assertMadeUpIsError(t, checks, recorded.steps);
      });
    }
  }
}

test.after.always('how many checks were broken one by one', () => {
  if (checksSeen)
    console.log(
      `spec claims: ${checksSeen} checks (claim × mode) each failed on its own violation; ${firstToFail} of them were the first to fail`,
    );
});

test('IOC-04, IOC-10 and SETNS-05: an EINVAL the observer made up (unresolved reference) cannot satisfy their errno checks', (t) => {
  let judged = 0;
  for (const suite of SPEC_SUITES) {
    const fixtures = readSpecRuns(suite.name);
    for (const claim of suite.claims.filter((entry) =>
      entry.specIds.some((id) => ['IOC-04', 'IOC-10', 'SETNS-05'].includes(id)),
    )) {
      for (const mode of modesOf(claim)) {
        const checks = claim.checks(WHO[mode]!);
        const einval = checks
          .filter((check) => check.kind === 'errno' && check.errno.includes('EINVAL'))
          .flatMap(readsOf);
        const steps = fixtures[claim.key]?.[mode]?.steps ?? [];
        const madeUp = steps.map((step) =>
          einval.includes(step.l)
            ? { ...step, r: -1, e: 'EINVAL', bad: 'unresolved reference: step fd has no result' }
            : step,
        );
        const verdict = judgeChecks(checks, new ScriptRun({ steps: madeUp }));
        t.true(
          einval.length > 0 && !verdict.pass && verdict.error !== undefined,
          `${claim.key} [${mode}]: ${describeVerdict(verdict)}`,
        );
        judged += 1;
      }
    }
  }
  t.true(judged >= 3);
});
