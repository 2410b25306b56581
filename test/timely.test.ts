// Timely readings — LIFE-10's "not free at once", TIME-13's timer remainders: a reading the clock shows came too late
// is a skip naming the delay, never a failure; in time, a kernel that breaks the claim still fails.
import test from 'ava';
import { describeVerdict, type JudgedCase } from '../harness/case.ts';
import type { StepRecord } from '../harness/observer/record.ts';
import type { ScriptIdentity } from '../harness/script/builder.ts';
import { ScriptRun } from '../harness/script/run.ts';
import { specSuite, type SpecClaim, type SpecObservation } from '../harness/script/spec-claim.ts';
import { netTeardownIsAsynchronous, userTeardownIsAsynchronous } from '../suites/lifetime/reclaim.ts';
import { deadlinesInNamespaceTime } from '../suites/time/clocks.ts';
import { makeEnvironment } from './fixtures/environment.ts';
import { readSpecRuns } from './fixtures/spec-run-file.ts';

const WHO: ScriptIdentity = { mode: 'root', uid: 0, gid: 0 };

/** What the runner makes of one observation: its skip if it has one, else the verdict. */
function outcomeOf(claim: SpecClaim, edit: (steps: StepRecord[]) => void, suite = 'lifetime'): string {
  const steps = structuredClone(readSpecRuns(suite)[claim.key]!.root!.steps);
  edit(steps);
  const judged = specSuite(suite, '', [claim]).groups()[0]!.cases[0] as JudgedCase<SpecObservation>;
  const observation = { who: WHO, script: claim.script(WHO, makeEnvironment()), run: new ScriptRun({ steps }) };
  const skip = judged.skipOn?.(observation);
  return skip ? `skip: ${skip}` : describeVerdict(judged.judge(observation));
}

const step = (steps: StepRecord[], label: string): StepRecord => steps.find((s) => s.l === label)!;

/** The reading came `gapMs` after `from`, `waitMs` of it in the run queue. */
const readAfter =
  (gapMs: number, waitMs = 0, from = 'released', to = 'probed') =>
  (steps: StepRecord[]): void => {
    const released = step(steps, from);
    Object.assign(step(steps, to), {
      monoUs: (released.monoUs as number) + gapMs * 1000,
      waitUs: (released.waitUs as number) + waitMs * 1000,
    });
  };

const probedAfter = (gapMs: number, waitMs = 0): ((steps: StepRecord[]) => void) => readAfter(gapMs, waitMs);

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

const timerExpired = (steps: StepRecord[]): void => {
  step(steps, 'timerMono').remainingMs = 0;
};

test('absolute-deadlines: a timer read 150 ms after it was armed, expired, is "not observed"', (t) => {
  const outcome = outcomeOf(
    deadlinesInNamespaceTime,
    (steps) => {
      readAfter(150, 140, 'armed', 'read')(steps);
      timerExpired(steps);
    },
    'time',
  );
  t.regex(outcome, /^skip: not observed: timerMono, timerBoot came 150\.0 ms after armed, 140\.0 ms of it waiting/);
});

test('absolute-deadlines: a timer read 2 ms after it was armed with nothing left fails (a deadline read in host time)', (t) => {
  const outcome = outcomeOf(
    deadlinesInNamespaceTime,
    (steps) => {
      readAfter(2, 0, 'armed', 'read')(steps);
      timerExpired(steps);
    },
    'time',
  );
  t.regex(outcome, /^expected .*remainingMs/);
});
