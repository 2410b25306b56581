// Needs turn into skips with reasons, and could-not-tell into errors.
import test from 'ava';
import { evaluateNeeds, describeNeed } from '../harness/needs/index.ts';
import { findCreationPath } from '../harness/creation-path.ts';
import { flagSetOf } from '../harness/flag-set.ts';
import { needsOf } from '../suites/matrix/needs.ts';
import { makeEnvironment } from './fixtures/environment.ts';

test('met needs pass', (t) => {
  t.deepEqual(evaluateNeeds([{ kind: 'real-root' }, { kind: 'can-create', ns: 'time', mode: 'unprivileged' }], makeEnvironment()), { met: true });
});

test('an unmet need is a skip whose reason names the need and what the probe saw', (t) => {
  const env = makeEnvironment({ realRoot: { state: 'no', detail: 'the runner is uid 1000' } });
  const answer = evaluateNeeds([{ kind: 'real-root' }], env);
  t.false(answer.met);
  if (answer.met === false) t.is(answer.reason, 'needs real root (uid 0 with CAP_SYS_ADMIN in the initial user namespace): the runner is uid 1000');
});

test('a probe that could not tell is not a skip', (t) => {
  const env = makeEnvironment({ clone3: { state: 'unknown', detail: 'observer ended' } });
  const answer = evaluateNeeds([{ kind: 'clone3' }], env);
  t.is(answer.met, 'unknown');
  if (answer.met === 'unknown') t.regex(answer.reason, /could not tell.*clone3.*observer ended/);
});

test('a kernel without a kind skips with the kconfig symbol and first kernel', (t) => {
  const env = makeEnvironment();
  env.built.time = { state: 'no', detail: '/proc/self/ns/time is missing' };
  const answer = evaluateNeeds([{ kind: 'kernel-has', ns: 'time' }], env);
  t.false(answer.met);
  if (answer.met === false) t.is(answer.reason, 'needs a kernel with time namespaces (CONFIG_TIME_NS, since 5.6): /proc/self/ns/time is missing');
});

test('matrix needs follow from the variant', (t) => {
  const clone3 = findCreationPath('clone3')!;
  const clone = findCreationPath('clone')!;
  t.deepEqual(needsOf({ flagSet: flagSetOf(['user', 'time']), path: clone3, mode: 'unprivileged' }), [
    { kind: 'clone3' },
    { kind: 'clone3-time' },
    { kind: 'can-create', ns: 'user', mode: 'unprivileged' },
    { kind: 'can-create', ns: 'time', mode: 'unprivileged' },
  ]);
  t.deepEqual(needsOf({ flagSet: flagSetOf(['pid', 'time']), path: clone, mode: 'unprivileged' }), [{ kind: 'kernel-has', ns: 'pid' }]);
  t.deepEqual(needsOf({ flagSet: flagSetOf(['net']), path: clone, mode: 'root' }), [{ kind: 'real-root' }, { kind: 'can-create', ns: 'net', mode: 'root' }]);
  t.regex(describeNeed({ kind: 'can-create', ns: 'net', mode: 'unprivileged' }), /CLONE_NEWUSER\|CLONE_NEWNET/);
});
