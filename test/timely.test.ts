// LIFE-10's "not free at once": a reading the clock shows came too late is a skip naming the delay, never a failure;
// in time, a kernel that frees the slot synchronously still fails.
import test from 'ava';
import { describeVerdict, type JudgedCase } from '../harness/case.ts';
import type { StepRecord } from '../harness/observer/record.ts';
import type { ScriptIdentity } from '../harness/script/builder.ts';
import { ScriptRun } from '../harness/script/run.ts';
import { specSuite, type SpecObservation } from '../harness/script/spec-claim.ts';
import { netTeardownIsAsynchronous, userTeardownIsAsynchronous } from '../suites/lifetime/reclaim.ts';
import { makeEnvironment } from './fixtures/environment.ts';
import { readSpecRuns } from './fixtures/spec-run-file.ts';

const WHO: ScriptIdentity = { mode: 'root', uid: 0, gid: 0 };
const RECORDED = readSpecRuns('lifetime');

/** What the runner makes of one observation: its skip if it has one, else the verdict. */
function outcomeOf(claim: typeof netTeardownIsAsynchronous, edit: (steps: StepRecord[]) => void): string {
  const steps = structuredClone(RECORDED[claim.key]!.root!.steps);
  edit(steps);
  const judged = specSuite('lifetime', '', [claim]).groups()[0]!.cases[0] as JudgedCase<SpecObservation>;
  const observation = { who: WHO, script: claim.script(WHO, makeEnvironment()), run: new ScriptRun({ steps }) };
  const skip = judged.skipOn?.(observation);
  return skip ? `skip: ${skip}` : describeVerdict(judged.judge(observation));
}

const step = (steps: StepRecord[], label: string): StepRecord => steps.find((s) => s.l === label)!;

/** The probe came `gapMs` after the member was let go, `waitMs` of it in the run queue. */
const probedAfter =
  (gapMs: number, waitMs = 0) =>
  (steps: StepRecord[]): void => {
    const released = step(steps, 'released');
    Object.assign(step(steps, 'probed'), {
      monoUs: (released.monoUs as number) + gapMs * 1000,
      waitUs: (released.waitUs as number) + waitMs * 1000,
    });
  };

const slotFreedAtOnce = (steps: StepRecord[]): void => {
  Object.assign(step(steps, 'atOnce'), { r: 0, e: undefined });
};

for (const claim of [netTeardownIsAsynchronous, userTeardownIsAsynchronous]) {
  test(`${claim.key}: the recorded run passes, in time`, (t) => {
    t.is(outcomeOf(claim, probedAfter(5)), 'pass');
  });

  test(`${claim.key}: a slot free when asked 60 ms late (55 ms queued) is "not observed", naming the delay`, (t) => {
    const outcome = outcomeOf(claim, (steps) => {
      probedAfter(60, 55)(steps);
      slotFreedAtOnce(steps);
    });
    t.regex(outcome, /^skip: not observed: atOnce came 60\.0 ms after released, 55\.0 ms of it waiting for a CPU/);
    t.regex(outcome, /too loaded/);
  });

  test(`${claim.key}: a slot free when asked 5 ms after the member went fails (a synchronous kernel)`, (t) => {
    const outcome = outcomeOf(claim, (steps) => {
      probedAfter(5)(steps);
      slotFreedAtOnce(steps);
    });
    t.regex(outcome, /^expected .*ENOSPC/);
  });

  test(`${claim.key}: late, a slot that never comes back still fails: the skip hides only the timely reading`, (t) => {
    const outcome = outcomeOf(claim, (steps) => {
      probedAfter(60)(steps);
      Object.assign(step(steps, 'freed'), { r: -1, e: 'ENOSPC' });
    });
    t.regex(outcome, /^expected .*freed/);
  });

  test(`${claim.key}: without the instants the reading is judged as usual`, (t) => {
    const outcome = outcomeOf(claim, (steps) => {
      steps.splice(steps.indexOf(step(steps, 'probed')), 1);
      slotFreedAtOnce(steps);
    });
    t.regex(outcome, /^expected .*ENOSPC/);
  });
}
