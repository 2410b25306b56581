// The declarative judges: each check kind passes what it asks for, fails the rest with a message naming the step, and its violation breaks it.
import { readFileSync } from 'node:fs';
import test from 'ava';
import { CHECK_KINDS } from '../harness/script/checks/table.ts';
import { Script } from '../harness/script/builder.ts';
import { expect, judgeChecks, violate, type Check } from '../harness/script/checks.ts';
import { token } from '../harness/script/encode.ts';
import { vacuityOf } from './fixtures/vacuous-checks.ts';
import { ScriptRun } from '../harness/script/run.ts';
import type { StepRecord } from '../harness/observer/record.ts';

const { at } = expect;

const STEPS: StepRecord[] = [
  { l: 'ok', p: 'main', r: 3 },
  { l: 'bad', p: 'main', r: -1, e: 'EINVAL' },
  { l: 'text', p: 'main', r: 4, text: 'uts:[4026531838]' },
  { l: 'st', p: 'main', r: 0, ino: 4026531838, dev: 4 },
  { l: 'other', p: 'main', r: 0, ino: 4026531999, dev: 4 },
  { l: 'w', p: 'main', r: 7, code: 0 },
  { l: 'k', p: 'main', r: 8, signal: 'SIGKILL' },
  { l: 'clock', p: 'main', r: 0, monoMs: 1000, facts: { nspid: [12, 1] } },
];

const HOLDING: Check[] = [
  expect.ok('ok'),
  expect.errno('bad', 'EINVAL'),
  expect.errno('bad', ['EPERM', 'EINVAL']),
  expect.ret('ok', 3),
  expect.equals(at('st', 'dev'), 4),
  expect.equals(at('clock', 'facts.nspid'), '12 1'),
  expect.matches(at('text', 'text'), /^uts:\[\d+\]$/),
  expect.includes(at('text', 'text'), 'uts:'),
  expect.excludes(at('text', 'text'), 'net:'),
  expect.same(at('st', 'ino'), at('text', 'text', /\[(\d+)\]/)),
  expect.differ(at('st', 'ino'), at('other', 'ino')),
  expect.exitCode('w', 0),
  expect.killedBy('k', 'SIGKILL'),
  expect.compare(at('clock', 'monoMs'), '>=', 1000),
  expect.compare(at('clock', 'monoMs'), '<', at('other', 'ino')),
  expect.fits(at('clock', 'monoMs'), [at('st', 'dev')], {
    expects: ([dev]) => `a multiple of ${String(dev)}`,
    holds: (value, [dev]) => Number(value) % Number(dev) === 0,
    breaking: ([dev]) => Number(dev) + 1,
  }),
];

const run = (steps: StepRecord[] = STEPS): ScriptRun => new ScriptRun({ steps });

test('every check kind passes an observation that satisfies it', (t) => {
  for (const check of HOLDING)
    t.deepEqual(
      judgeChecks([check], run()),
      { pass: true },
      JSON.stringify(check, (_, v: unknown) => (v instanceof RegExp ? String(v) : v)),
    );
});

test('each check fails on its own violation, and the whole list fails too', (t) => {
  for (const check of HOLDING) {
    const broken = run(violate({ steps: STEPS }, check).steps);
    t.false(judgeChecks([check], broken).pass, `violation of ${check.kind} still passed`);
    t.false(judgeChecks(HOLDING, broken).pass);
  }
});

test('checks that do not hold fail with the step, what was expected and what was seen', (t) => {
  const script = new Script();
  script.sys('ok', 'getpid');
  const verdict = judgeChecks([expect.errno('ok', 'EPERM', 'why it matters')], run(), script);
  t.deepEqual(verdict, {
    pass: false,
    expected: 'step ok (sys getpid) to fail with EPERM — why it matters',
    actual: 'it returned 3',
  });
  t.like(judgeChecks([expect.ok('missing')], run()), {
    pass: false,
    actual: 'it never ran (its process ended or was killed first)',
  });
  t.like(judgeChecks([expect.same(at('st', 'ino'), at('other', 'ino'))], run()), {
    pass: false,
    actual: 'they are 4026531999 and 4026531838',
  });
  t.like(judgeChecks([expect.compare(at('clock', 'monoMs'), '>', 5000)], run()), {
    pass: false,
    actual: '1000 vs 5000',
  });
});

test('an empty check list never passes', (t) => {
  t.like(judgeChecks([], run()), { pass: false, actual: 'the claim checks nothing' });
});

const MADE_UP: Array<[string, StepRecord, RegExp]> = [
  [
    'an unresolved reference',
    { l: 'g', p: 'main', r: -1, e: 'EINVAL', bad: 'unresolved reference: step fd has no result' },
    /^step g was not run as written .*unresolved reference/,
  ],
  [
    'a host guard refusal',
    {
      l: 'g',
      p: 'main',
      r: -1,
      e: 'EACCES',
      guard: 'host safety: mount calls only in a mount namespace the script created',
    },
    /^step g was refused by the host guard/,
  ],
  ['a truncated step', { l: 'g', p: 'main', r: 0, overflow: true }, /^step g's record overflowed/],
  ['a step without a label (nothing in such a record is read)', { l: '', p: 'main', r: 0 }, /without a label/],
];

for (const [what, step, reason] of MADE_UP) {
  test(`${what} makes the verdict an error: it can satisfy no check and fail none`, (t) => {
    const steps = [...STEPS, step];
    for (const checks of [
      HOLDING,
      [expect.errno('g', ['EINVAL', 'EACCES'])],
      [expect.ok('g')],
      [expect.ok('ok'), expect.equals(at('g', 'e'), 'EINVAL')],
    ]) {
      const verdict = judgeChecks(checks, run(steps));
      t.false(verdict.pass);
      if (!verdict.pass) t.regex(verdict.error ?? '(a fail, not an error)', reason);
    }
    // A check that fails on the kernel's own values before any made-up one is read still fails the claim.
    if (step.l)
      t.like(judgeChecks([expect.errno('ok', 'EPERM'), expect.errno('g', 'EINVAL')], run(steps)), {
        pass: false,
        actual: 'it returned 3',
      });
  });
}

test('same, differ and compare relate only values that steps which succeeded reported', (t) => {
  const failed: StepRecord[] = [
    { l: 'a', p: 'main', r: -1, e: 'ENOENT' },
    { l: 'b', p: 'main', r: -1, e: 'ENOENT' },
    { l: 'c', p: 'main', r: 0 },
  ];
  t.like(judgeChecks([expect.same(at('a', 'text'), at('b', 'text'))], run(failed)), {
    pass: false,
    actual: 'step a: it failed with ENOENT; step b: it failed with ENOENT',
  });
  t.false(
    judgeChecks([expect.same(at('a'), at('b'))], run(failed)).pass,
    'two failed results (-1) are not the same value',
  );
  t.false(judgeChecks([expect.differ(at('c'), at('b', 'text'))], run(failed)).pass);
  t.false(judgeChecks([expect.compare(at('a'), '<', at('c'))], run(failed)).pass);
  t.like(judgeChecks([expect.same(at('c', 'text'), at('c', 'text'))], run(failed)), {
    pass: false,
    actual: 'step c has no text; step c has no text',
  });
});

test('the check list in suites/README.md is the table of check kinds', (t) => {
  const readme = readFileSync(new URL('../suites/README.md', import.meta.url), 'utf8');
  const listed = [...readme.matchAll(/^<!-- check:(\w+) -->\s*\* (.*)$/gm)].map(([, kind, line]) => [kind, line]);
  t.deepEqual(
    listed,
    Object.values(CHECK_KINDS).map((kind) => [kind.kind, kind.summary]),
  );
});

test('step lines encode arguments as single words and refuse bad or repeated labels', (t) => {
  const script = new Script();
  script.write('w', '/proc/self/uid_map', '0 1000 1\n');
  script.fork('child', 'clone', 0x20000000, (c) => c.sys('pid', 'getpid'));
  t.deepEqual(script.lines, [
    'w write /proc/self/uid_map 0%201000%201%0a',
    'child fork clone 0x20000011',
    'pid sys getpid',
    'end',
  ]);
  t.is(token('a%b c'), 'a%25b%20c');
  t.throws(() => script.sys('w', 'getpid'), { message: /used twice/ });
  t.throws(() => script.sys('bad label', 'getpid'), { message: /short identifier/ });
  // The observer refuses the same labels (native/src/script_parse.c): "end" closes a block, "_" is its own, 31 at most.
  for (const label of ['end', '_end', 'a'.repeat(32)])
    t.throws(() => script.sys(label, 'getpid'), { message: /short identifier/ }, label);
  t.notThrows(() => script.sys('a'.repeat(31), 'getpid'));
});

test('the vacuity finder catches checks that can never fail, and passes real ones', (t) => {
  const vacuous: Check[] = [
    expect.matches(at('text', 'text'), /.*/),
    expect.matches(at('text', 'text'), /x|/),
    expect.includes(at('text', 'text'), ''),
    expect.excludes(at('text', 'text'), '\u0000'),
    expect.same(at('st', 'ino'), at('st', 'ino')),
    expect.compare(at('clock', 'monoMs'), '>=', at('clock', 'monoMs')),
    expect.errno('bad', []),
  ];
  const found = vacuityOf(vacuous);
  vacuous.forEach((check, index) =>
    t.true(
      found(check, index).length > 0,
      JSON.stringify(check, (_, v: unknown) => (v instanceof RegExp ? String(v) : v)),
    ),
  );
  const twice = [expect.ok('ok'), expect.ok('ok')];
  t.deepEqual(
    twice.map((check, index) => vacuityOf(twice)(check, index).length),
    [0, 1],
  );
  t.deepEqual(HOLDING.flatMap(vacuityOf(HOLDING)), []);
});
