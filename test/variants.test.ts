// Known variants: a known one passes and is recorded, an unknown one fails naming both, compare shows the change; no cascades on 7.2.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';
import type { CaseResult, RunContext } from '../harness/case.ts';
import { findCreationPath } from '../harness/creation-path.ts';
import { buildKernelTable } from '../harness/diff/kernel-table.ts';
import { formatMarkdown } from '../harness/diff/kernel-table-format.ts';
import { readReport } from '../harness/diff/report-file.ts';
import { flagSetOf } from '../harness/flag-set.ts';
import type { NamespaceName } from '../harness/namespaces.ts';
import type { PrivilegeModeName } from '../harness/privilege-mode.ts';
import { RunEvents } from '../harness/run/events.ts';
import { runGroups } from '../harness/run/runner.ts';
import { ScriptRun } from '../harness/script/run.ts';
import { judgeClaim } from '../harness/script/spec-claim.ts';
import { judgeVariants } from '../harness/script/variants.ts';
import { withoutConsequencesOf } from '../harness/script/refused-consequences.ts';
import type { MatrixObservation } from '../suites/matrix/observation.ts';
import { forChildrenBeforeFirstChild } from '../suites/nsfs/descriptors.ts';
import { cloneCannotMakeTimeNamespace } from '../suites/clone/flags.ts';
import { OBSERVER_BINARY } from '../harness/observer/binary.ts';
import { ObserverClient } from '../harness/observer/client.ts';
import { makeEnvironment } from './fixtures/environment.ts';
import { conformingObservation } from './fixtures/matrix-observation.ts';
import { readSpecRuns } from './fixtures/spec-run-file.ts';
import { makeInfo } from './fixtures/cases.ts';
import { hasXmllint, schemaErrors } from './fixtures/junit-readers.ts';
import { JsonReporter } from '../harness/report/json.ts';
import { JunitReporter } from '../harness/report/junit.ts';
import { summarize } from '../harness/run/summary.ts';
import { loadSuites } from '../suites/registry.ts';

const { matrix: matrixSuite } = await loadSuites();

const KNOWN = [
  { id: 'A', kernels: ['6.1'], holds: 1 },
  { id: 'B', kernels: ['7.2.13'], holds: 2 },
];
const judgeSeen = (seen: number) => (variant: (typeof KNOWN)[number]) =>
  seen === variant.holds
    ? { pass: true as const }
    : { pass: false as const, expected: `value ${variant.holds}`, actual: `value ${seen}` };

test('a known variant passes and names itself; one never seen fails naming every known one and what was seen', (t) => {
  t.deepEqual(judgeVariants(KNOWN, judgeSeen(2)), { pass: true, variant: 'B' });
  t.deepEqual(judgeVariants(KNOWN, judgeSeen(3)), {
    pass: false,
    expected: 'one of the known variants — «A» (seen on 6.1): value 1; or «B» (seen on 7.2.13): value 2',
    actual: 'a variant never seen before: value 3',
  });
  const madeUp = judgeVariants(KNOWN, () => ({ pass: false, error: 'the observer made this step up' }));
  t.deepEqual(
    madeUp,
    { pass: false, error: 'the observer made this step up' },
    'an unjudgeable record is an error, not an unknown variant',
  );
});

test('D1/D15: the recorded pid_for_children run passes as ENOENT; read at once it passes as D15; anything else fails naming both', (t) => {
  const who = { mode: 'root' as const, uid: 0, gid: 0 };
  const recorded = readSpecRuns('nsfs')[forChildrenBeforeFirstChild.key]?.root;
  if (!recorded) return t.fail('no recorded nsfs run');
  const script = forChildrenBeforeFirstChild.script(who, makeEnvironment());
  const judge = (steps: typeof recorded.steps) =>
    judgeClaim(forChildrenBeforeFirstChild, { who, script, run: new ScriptRun({ steps }) });
  t.deepEqual(judge(recorded.steps), { pass: true, variant: 'D1: ENOENT until the first child' });
  const filled = recorded.steps.find((step) => step.l === 'filled');
  const atOnce = recorded.steps.map((step) =>
    step.l === 'empty' ? { ...step, r: 16, e: undefined, text: filled?.text } : step,
  );
  t.deepEqual(judge(atOnce), { pass: true, variant: 'D15: the new namespace at once' });
  const other = recorded.steps.map((step) => (step.l === 'empty' ? { ...step, r: -1, e: 'EPERM' } : step));
  const verdict = judge(other);
  t.false(verdict.pass);
  if (!verdict.pass && verdict.error === undefined) {
    t.regex(
      verdict.expected,
      /«D1: ENOENT until the first child» \(seen on 6\.1, 6\.18\).*ENOENT.*«D15: the new namespace at once» \(seen on 7\.2\.13\)/,
    );
    t.regex(verdict.actual, /^a variant never seen before: .*EPERM/);
  }
});

test('compare shows a variant change from one kernel to the next as a row, and the same variant as identical', async (t) => {
  const report = (kernel: string, variant: string) =>
    JSON.stringify({
      format: 'nsconform-results/1',
      environment: { 'kernel.release': kernel },
      cases: [
        { id: 'nsfs › pid+time › links [root]', classname: 'nsfs.root', name: 'links', status: 'pass', variant },
        { id: 'clone › time › raw [root]', classname: 'clone.root', name: 'raw', status: 'pass', variant: 'same' },
      ],
    });
  await withDir(
    ({ path }) => {
      const files = [
        report('6.1.0-56-amd64', 'D1: ENOENT until the first child'),
        report('7.2.13+deb14-amd64', 'D15: the new namespace at once'),
      ].map((text, index) => {
        writeFileSync(join(path, `${index}.json`), text);
        return join(path, `${index}.json`);
      });
      const table = buildKernelTable(files.map(readReport));
      t.deepEqual(
        table.rows.map((row) => row.key),
        ['nsfs › pid+time › links [root]'],
      );
      t.is(table.identical, 1);
      t.true(
        formatMarkdown(table).includes(
          '| nsfs › pid+time › links [root] | pass: D1: ENOENT until the first child | pass: D15: the new namespace at once |',
        ),
        formatMarkdown(table),
      );
      return Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});

interface RecordedCase {
  id: string;
  flagSet: string;
  mode: PrivilegeModeName;
  status: string;
  message?: string;
}
const RECORDED = JSON.parse(
  readFileSync(new URL('fixtures/kernel-runs/7.2-clone-time.json', import.meta.url), 'utf8'),
) as { kernel: string; cases: RecordedCase[] };

test('7.2.13: legacy clone() refusing CLONE_NEWTIME gives one verdict per flag set and mode, the others skip naming it', async (t) => {
  const sets = [...new Set(RECORDED.cases.map((entry) => `${entry.flagSet}:${entry.mode}`))];
  const reasons = new Set<string>();
  t.is(sets.length, 6);
  for (const set of sets) {
    const [flagSetName, mode] = set.split(':') as [string, PrivilegeModeName];
    const recorded = RECORDED.cases.filter((entry) => entry.flagSet === flagSetName && entry.mode === mode);
    const errno = /failed with (E[A-Z]+)$/.exec(recorded[0]?.message ?? '')?.[1];
    t.is(errno, 'EINVAL', `${set}: the recorded run failed on the refusal`);
    t.true(
      recorded.every((entry) => entry.status === 'fail'),
      `${set}: before, every case failed`,
    );
    const path = findCreationPath('clone');
    if (!path) return t.fail('no clone path');
    const variant = { flagSet: flagSetOf(flagSetName.split('+') as NamespaceName[]), path, mode };
    const group = matrixSuite.groups().find((entry) => entry.key === `matrix:${flagSetName}:clone:${mode}`);
    if (!group) return t.fail(`no group ${set}`);
    const { parent, env, tunnels } = conformingObservation(variant);
    const refused: MatrixObservation = { kind: 'refused', variant, env, parent, tunnels, errno: 'EINVAL' };
    const context = {
      pool: null as never,
      env: makeEnvironment(),
      scratchDir: '/nonexistent',
      timeoutMs: 1000,
    } satisfies RunContext;
    const results: CaseResult[] = await runGroups(
      [{ ...group, observe: () => Promise.resolve({ ok: true, observation: refused }) }],
      context,
      new RunEvents(),
    );
    t.deepEqual(
      results.map((result) => result.info.id).sort(),
      recorded.map((entry) => entry.id).sort(),
      `${set}: the same cases as the recorded run`,
    );
    const judged = results.filter((result) => result.outcome.status !== 'skip');
    t.is(judged.length, 1, `${set}: one verdict`);
    t.like(judged[0]?.outcome, { status: 'pass', variant: 'D14: refused with EINVAL' });
    for (const skipped of results.filter((result) => result.outcome.status === 'skip')) {
      const reason = skipped.outcome.status === 'skip' ? skipped.outcome.reason : '';
      t.true(
        reason.includes('clone() with CLONE_NEWTIME failed with EINVAL') &&
          reason.includes(`"${judged[0]?.info.claim ?? '?'}"`),
        reason,
      );
      reasons.add(reason);
    }
    // The same group on a kernel that reads 0x80 as exit-signal bits: every claim judged, the deciding one names D9.
    const onOld = await runGroups(
      [{ ...group, observe: () => Promise.resolve({ ok: true, observation: conformingObservation(variant) }) }],
      context,
      new RunEvents(),
    );
    t.true(
      onOld.every((result) => result.outcome.status === 'pass'),
      `${set} on 6.1`,
    );
  }
  t.is(
    reasons.size,
    1,
    'one skip reason for every flag set the time claim decides (a refused group holds only its refusal claim)',
  );
});

test('the JUnit and JSON reports record the variant a pass showed, JUnit stays schema-valid, and compare reads both back', async (t) => {
  const results: CaseResult[] = [
    { info: makeInfo('links'), outcome: { status: 'pass', durationMs: 2, variant: 'D15: the new namespace at once' } },
    { info: makeInfo('plain'), outcome: { status: 'pass', durationMs: 1 } },
  ];
  await withDir(
    async ({ path }) => {
      const files = [new JunitReporter(join(path, 'r.xml'), {}), new JsonReporter(join(path, 'r.json'), {})];
      for (const reporter of files) {
        const events = new RunEvents();
        reporter.attach(events);
        events.emit('start', { env: makeEnvironment(), cases: results.map((result) => result.info) });
        for (const result of results) events.emit('case', result);
        events.emit('end', summarize(results, 3, []));
        await reporter.finish();
      }
      for (const file of ['r.xml', 'r.json']) {
        const cases = readReport(join(path, file)).cases;
        t.is(cases.get('demo › links [clone3, root]')?.variant, 'D15: the new namespace at once', file);
        t.is(cases.get('demo › plain [clone3, root]')?.variant, undefined, file);
      }
      t.regex(
        readFileSync(join(path, 'r.xml'), 'utf8'),
        /<system-out>(<!\[CDATA\[)?variant: D15: the new namespace at once(]]>)?<\/system-out>/,
      );
      if (await hasXmllint()) t.is(await schemaErrors(join(path, 'r.xml')), '');
      else t.log('xmllint is not installed: schema not checked (.ci/run installs libxml2-utils)');
    },
    { unsafeCleanup: true },
  );
});

test('CLONE-08 where legacy clone() refuses (7.2.13: EINVAL) passes as D14 at once, without waiting for the deadline', async (t) => {
  if (process.getuid?.() !== 0) return t.pass('needs root to run the root-mode script here: skipped');
  const who = { mode: 'root' as const, uid: 0, gid: 0 };
  const script = cloneCannotMakeTimeNamespace.script(who, makeEnvironment());
  // This kernel reads 0x80 as exit-signal bits; CLONE_SIGHAND without CLONE_VM makes the same raw clone() fail with EINVAL.
  const refused = script.lines.map((line) =>
    line.startsWith('child fork clone ') ? `child fork clone ${0x800 | 0x80 | 17}` : line,
  );
  t.not(refused.join('\n'), script.lines.join('\n'));
  const client = new ObserverClient(OBSERVER_BINARY);
  try {
    const record = await client.script({ drop: null, timeoutMs: 10_000, scratch: null, lines: refused });
    t.is(record.outcome, 'observed', "the script ends: the failed fork's events end their awaiters at once");
    t.true(record.durationNs / 1e6 < 5000, `${record.durationNs / 1e6} ms`);
    t.deepEqual(judgeClaim(cloneCannotMakeTimeNamespace, { who, script, run: new ScriptRun(record) }), {
      pass: true,
      variant: 'D14: refused with EINVAL',
    });
    const asHere = await client.script({ drop: null, timeoutMs: 10_000, scratch: null, lines: script.lines });
    t.deepEqual(judgeClaim(cloneCannotMakeTimeNamespace, { who, script, run: new ScriptRun(asHere) }), {
      pass: true,
      variant: 'D9: 0x80 is exit-signal bits',
    });
  } finally {
    await client.close();
  }
});

test('only the consequences of a refusal a variant judges leave the record; a refused set-up step nobody judges stays an error', (t) => {
  const steps = [
    { l: 'child', p: 'main', r: -1, e: 'EINVAL' },
    { l: 'childStat', p: 'main', r: -1, e: 'EINVAL', bad: 'unresolved reference: step child has no result' },
    { l: 'other', p: 'main', r: -1, e: 'EINVAL', bad: 'unresolved reference: step setup has no result' },
    { l: 'setup', p: 'main', r: -1, e: 'EPERM' },
  ];
  const run = new ScriptRun({ steps });
  t.deepEqual(
    withoutConsequencesOf(run, new Set(['child'])).record.steps.map((step) => step.l),
    ['child', 'other', 'setup'],
  );
  t.is(withoutConsequencesOf(run, new Set()), run);
  const guarded = new ScriptRun({ steps: [steps[0]!, { ...steps[1]!, guard: 'host hostname' }] });
  t.is(
    withoutConsequencesOf(guarded, new Set(['child'])).record.steps.length,
    2,
    'a host-guard refusal is never dropped',
  );
});
