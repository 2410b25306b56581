// --repeat N: every selected case N times, reported as one case carrying its N outcomes; mixed results are flaky.
import type { CaseResult, ObservationGroup, Outcome, RunContext } from '../case.ts';
import { RunEvents } from './events.ts';
import { runGroups } from './runner.ts';

const durationOf = (outcome: Outcome): number => (outcome.status === 'skip' ? 0 : outcome.durationMs);

function tally(outcomes: readonly Outcome[]): string {
  const counts = new Map<string, number>();
  for (const { status } of outcomes) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${status} ${count}`).join(', ');
}

/** One result for a case's attempts: the worst outcome, flagged flaky when some attempt passed and another did not. */
export function mergeAttempts(attempts: readonly CaseResult[]): CaseResult {
  const first = attempts[0];
  if (!first) throw new Error('mergeAttempts needs at least one attempt');
  const outcomes = attempts.map((attempt) => attempt.outcome);
  const statuses = outcomes.map((outcome) => outcome.status);
  const durationMs = outcomes.reduce((sum, outcome) => sum + durationOf(outcome), 0);
  const worst =
    outcomes.find((outcome) => outcome.status === 'fail') ?? outcomes.find((outcome) => outcome.status === 'error');
  const passed = statuses.includes('pass');
  const flaky = passed && worst !== undefined;
  const base = { info: first.info, attempts: statuses, flaky };
  const pass = outcomes.find((outcome) => outcome.status === 'pass');
  if (!worst) return { ...base, outcome: pass ? { ...pass, durationMs } : first.outcome };
  const prefix = flaky
    ? `flaky over ${outcomes.length} runs (${tally(outcomes)}): `
    : outcomes.length > 1
      ? `in every one of ${outcomes.length} runs: `
      : '';
  return { ...base, outcome: { ...worst, durationMs, message: `${prefix}${worst.message}` } };
}

/** Runs the groups `times` times over; each case is reported once, when its last attempt is in. */
export async function runRepeated(
  groups: readonly ObservationGroup[],
  context: RunContext,
  events: RunEvents,
  times: number,
): Promise<CaseResult[]> {
  const attempts = new Map<string, CaseResult[]>();
  const merged: CaseResult[] = [];
  const inner = new RunEvents();
  inner.on('case', (result) => {
    const list = attempts.get(result.info.id) ?? [];
    list.push(result);
    attempts.set(result.info.id, list);
    if (list.length < times) return;
    const one = mergeAttempts(list);
    merged.push(one);
    events.emit('case', one);
  });
  for (let round = 0; round < times; round += 1) await runGroups(groups, context, inner);
  return merged;
}
