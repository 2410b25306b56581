// Runs observation groups: needs decide skips, one observation per group, every claim judged on it.
import type { CaseResult, JudgedCase, ObservationGroup, Outcome, RunContext, Verdict } from '../case.ts';
import { evaluateNeeds } from '../needs/index.ts';
import type { RunEvents } from './events.ts';

function judgeCase<O>(judged: JudgedCase<O>, observation: O, durationMs: number): Outcome {
  let verdict: Verdict;
  try {
    const judgedElsewhere = judged.skipOn?.(observation);
    if (judgedElsewhere) return { status: 'skip', reason: judgedElsewhere };
    verdict = judged.judge(observation);
  } catch (error) {
    return { status: 'error', durationMs, message: `judge threw: ${(error as Error).stack ?? String(error)}` };
  }
  if (verdict.pass)
    return verdict.variant ? { status: 'pass', durationMs, variant: verdict.variant } : { status: 'pass', durationMs };
  if (verdict.error !== undefined)
    return { status: 'error', durationMs, message: `${judged.info.claim} — not judged: ${verdict.error}` };
  return {
    status: 'fail',
    durationMs,
    message: `${judged.info.claim} — expected ${verdict.expected}; got ${verdict.actual}`,
    expected: verdict.expected,
    actual: verdict.actual,
  };
}

async function runGroup(group: ObservationGroup, context: RunContext, events: RunEvents): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  const report = (result: CaseResult): void => {
    results.push(result);
    events.emit('case', result);
  };
  const toRun: JudgedCase<unknown>[] = [];
  for (const judged of group.cases) {
    let answer;
    try {
      answer = evaluateNeeds([...judged.info.needs, ...(judged.needsFor?.(context.env) ?? [])], context.env);
    } catch (error) {
      answer = { met: 'unknown' as const, reason: `needs could not be derived: ${(error as Error).message}` };
    }
    if (answer.met === true) toRun.push(judged);
    else if (answer.met === false) report({ info: judged.info, outcome: { status: 'skip', reason: answer.reason } });
    else report({ info: judged.info, outcome: { status: 'error', durationMs: 0, message: answer.reason } });
  }
  if (toRun.length === 0) return results;
  const started = performance.now();
  let observed;
  try {
    observed = await group.observe(context);
  } catch (error) {
    observed = { ok: false as const, error: `harness error while observing: ${(error as Error).message}` };
  }
  // Every case judged on the observation gets its share, so case times add up to the time observed.
  const durationMs = (observed.durationMs ?? performance.now() - started) / toRun.length;
  for (const judged of toRun) {
    const outcome: Outcome = observed.ok
      ? judgeCase(judged, observed.observation, durationMs)
      : { status: 'error', durationMs, message: observed.error };
    report({ info: judged.info, outcome });
  }
  return results;
}

function isSerial(group: ObservationGroup): boolean {
  return group.cases.some((judged) => judged.info.serial);
}

/** Pooled groups run together (the observer pool bounds concurrency); serial ones run one by one after them. */
export async function runGroups(
  groups: readonly ObservationGroup[],
  context: RunContext,
  events: RunEvents,
): Promise<CaseResult[]> {
  const pooled = groups.filter((group) => !isSerial(group));
  const serial = groups.filter(isSerial);
  const results = (await Promise.all(pooled.map((group) => runGroup(group, context, events)))).flat();
  for (const group of serial) results.push(...(await runGroup(group, context, events)));
  return results;
}
