// The runner: needs → skip or error, one observation per group, judges → pass or fail, serial groups last.
import test from 'ava';
import type { CaseResult, RunContext } from '../harness/case.ts';
import { RunEvents } from '../harness/run/events.ts';
import { runGroups } from '../harness/run/runner.ts';
import { exitCodeOf, summarize } from '../harness/run/summary.ts';
import { makeEnvironment, makeHost } from './fixtures/environment.ts';
import { makeGroup } from './fixtures/cases.ts';

function context(env = makeEnvironment()): RunContext {
  return { pool: null as never, env, scratchDir: '/nonexistent', timeoutMs: 1000 };
}

const isOne = (value: number) =>
  value === 1 ? { pass: true as const } : { pass: false as const, expected: '1', actual: String(value) };

test('one observation serves every claim of its group; verdicts become pass and fail', async (t) => {
  let observations = 0;
  const group = makeGroup('g', () => (observations++, Promise.resolve({ ok: true as const, observation: 1 })), [
    { name: 'a', judge: isOne },
    { name: 'b', judge: () => ({ pass: false, expected: 'pid 1', actual: 'pid 2' }) },
  ]);
  const events = new RunEvents();
  const seen: CaseResult[] = [];
  events.on('case', (result) => seen.push(result));
  const results = await runGroups([group], context(), events);
  t.is(observations, 1);
  t.deepEqual(
    results.map((result) => result.outcome.status),
    ['pass', 'fail'],
  );
  t.is(seen.length, 2);
  const failed = results[1]?.outcome;
  if (failed?.status === 'fail') t.is(failed.message, 'claim b — expected pid 1; got pid 2');
  else t.fail('b did not fail');
});

test('an unmet need skips with its reason and the observation is not made', async (t) => {
  let observed = false;
  const env = makeEnvironment({ host: makeHost({ euid: 1000, uid: 1000 }) });
  const group = makeGroup('g', () => ((observed = true), Promise.resolve({ ok: true as const, observation: 1 })), [
    { name: 'a', judge: isOne, needs: [{ kind: 'root' }] },
  ]);
  const [result] = await runGroups([group], context(env), new RunEvents());
  t.false(observed);
  t.deepEqual(result?.outcome, {
    status: 'skip',
    reason:
      'needs root (uid 0 with CAP_SYS_ADMIN in its user namespace): the runner is uid 1000, not root (geteuid()) — run as root (sudo) for the root mode',
  });
});

test('a probe that could not tell, a failed observation and a throwing judge are errors, never skips', async (t) => {
  const env = makeEnvironment({ veth: { state: 'unknown', detail: 'timed out' } });
  const groups = [
    makeGroup('unknown', { ok: true, observation: 1 }, [{ name: 'a', judge: isOne, needs: [{ kind: 'veth' }] }]),
    makeGroup('timeout', { ok: false, error: 'timed out after 1000 ms' }, [{ name: 'b', judge: isOne }]),
    makeGroup('throws', () => Promise.reject(new Error('observer ended')), [{ name: 'c', judge: isOne }]),
    makeGroup('judge', { ok: true, observation: 1 }, [
      {
        name: 'd',
        judge: () => {
          throw new Error('bug');
        },
      },
    ]),
  ];
  const results = await runGroups(groups, context(env), new RunEvents());
  t.deepEqual(
    results.map((result) => result.outcome.status),
    ['error', 'error', 'error', 'error'],
  );
  const messages = results.map((result) => ('message' in result.outcome ? result.outcome.message : ''));
  t.regex(messages[0] ?? '', /could not tell/);
  t.regex(messages[1] ?? '', /timed out after 1000 ms/);
  t.regex(messages[2] ?? '', /observer ended/);
  t.regex(messages[3] ?? '', /judge threw/);
});

test('a verdict that the observer made up the value is an error naming why, never a pass or a fail', async (t) => {
  const groups = [
    makeGroup('made-up', { ok: true, observation: 1 }, [
      { name: 'e', judge: () => ({ pass: false, error: 'step g was not run as written: unresolved reference' }) },
    ]),
  ];
  const [result] = await runGroups(groups, context(makeEnvironment()), new RunEvents());
  t.is(result?.outcome.status, 'error');
  t.regex(
    result && 'message' in result.outcome ? result.outcome.message : '',
    /not judged: step g was not run as written: unresolved reference/,
  );
});

test('serial groups run after the pooled ones, one at a time', async (t) => {
  const order: string[] = [];
  let running = 0;
  let most = 0;
  const observe = (name: string) => async () => {
    running += 1;
    most = Math.max(most, running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    order.push(name);
    running -= 1;
    return { ok: true as const, observation: 1 };
  };
  const groups = [
    makeGroup('s1', observe('s1'), [{ name: 's1', judge: isOne, serial: true }]),
    makeGroup('p1', observe('p1'), [{ name: 'p1', judge: isOne }]),
    makeGroup('s2', observe('s2'), [{ name: 's2', judge: isOne, serial: true }]),
    makeGroup('p2', observe('p2'), [{ name: 'p2', judge: isOne }]),
  ];
  await runGroups(groups, context(), new RunEvents());
  t.deepEqual(order.slice(2), ['s1', 's2']);
  t.deepEqual(new Set(order.slice(0, 2)), new Set(['p1', 'p2']));
});

test('the exit code is 1 on a kernel failure, 3 on a host change, else 0', (t) => {
  const pass: CaseResult = {
    info: makeGroup('g', { ok: true, observation: 1 }, [{ name: 'a', judge: isOne }]).cases[0]!.info,
    outcome: { status: 'pass', durationMs: 1 },
  };
  const skip: CaseResult = { ...pass, outcome: { status: 'skip', reason: 'r' } };
  const fail: CaseResult = {
    ...pass,
    outcome: { status: 'fail', durationMs: 1, message: 'm', expected: 'e', actual: 'a' },
  };
  t.is(exitCodeOf(summarize([pass, skip], 1, [])), 0);
  t.is(exitCodeOf(summarize([pass, fail], 1, [])), 1);
  t.is(exitCodeOf(summarize([pass], 1, ['hostname: - a | + b'])), 3);
  t.deepEqual(summarize([pass, skip, fail], 1, []).bySuite.demo, { pass: 1, fail: 1, skip: 1, error: 0 });
});

test('the cases judged on one observation share its time, so case times add up to the time observed', async (t) => {
  const group = makeGroup('g', { ok: true, observation: 1, durationMs: 30 }, [
    { name: 'a', judge: isOne },
    { name: 'b', judge: isOne },
    { name: 'c', judge: isOne },
  ]);
  const results = await runGroups([group], context(), new RunEvents());
  t.deepEqual(
    results.map(({ outcome }) => (outcome.status === 'skip' ? null : outcome.durationMs)),
    [10, 10, 10],
  );
});
