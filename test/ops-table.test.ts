// The observer's op table is the one source of truth: the generated builders match --list-ops, recorded fields are
// declared, each need names a known kind and a real argument, and ops bring their own needs into a script's.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { Script } from '../harness/script/builder.ts';
import { expect } from '../harness/script/checks.ts';
import { OPS, type OpName } from '../harness/script/ops.generated.ts';
import { scriptNeeds } from '../harness/script/spec-claim.ts';
import { GENERATED_OPS, listOps, PROTOCOL, renderOps, withProtocolOps } from '../scripts/gen-ops.ts';
import { loadSuites } from '../suites/registry.ts';
import { makeEnvironment } from './fixtures/environment.ts';
import { readSpecRuns } from './fixtures/spec-run-file.ts';

const { specSuites: SPEC_SUITES } = await loadSuites();

const listing = listOps();

test('harness/script/ops.generated.ts is what npm run gen:ops makes of nsconform-observer --list-ops', (t) => {
  t.is(
    readFileSync(GENERATED_OPS, 'utf8'),
    renderOps(listing),
    'the op table changed: run npm run gen:ops and commit the result',
  );
});

test("native/PROTOCOL.md's op list is --list-ops's", (t) => {
  const protocol = readFileSync(PROTOCOL, 'utf8');
  t.is(protocol, withProtocolOps(protocol, listing), 'the op table changed: run npm run gen:ops and commit the result');
  t.true(
    listing.ops.every((op) => protocol.includes(`| \`${op.name}\``)),
    'every op has its row',
  );
});

test('--list-ops lists every op the observer dispatches, each once, with the sys allow-list', (t) => {
  const names = listing.ops.map((op) => op.name);
  t.deepEqual(names, [...new Set(names)].sort());
  for (const op of ['read', 'fork', 'wait', 'poll', 'sys', 'bareclone', 'cg_mountline', 'exit'])
    t.true(names.includes(op), op);
  t.true(listing.syscalls.includes('unshare') && listing.syscalls.includes('setns'));
  t.false(listing.syscalls.includes('uname'), 'a call outside the allow-list is not listed');
});

/** The need kinds harness/script/builder.ts derives from, with how many argument names each one names. */
const NEED_ARGS: Record<string, (parts: string[]) => string[]> = {
  machine: () => [],
  call: () => [],
  kind: () => [],
  'nested-user': () => [],
  creates: ([arg]) => [arg!],
  clones: ([mode, flags]) => [...(mode ? [mode] : []), flags!],
  'map-write': ([path, data]) => [path!, data!],
  sys: ([name]) => [name!],
  polls: ([op]) => [op!],
};

test('every need an op declares is one the builder knows, naming arguments the op has', (t) => {
  for (const op of listing.ops) {
    for (const need of op.needs) {
      const [kind = '', ...parts] = need.split(':');
      const named = NEED_ARGS[kind];
      if (!named) {
        t.fail(`${op.name}: unknown need ${need}`);
        continue;
      }
      for (const arg of named(parts))
        t.true(
          op.args.some((each) => each.name === arg),
          `${op.name}: need ${need} names no argument of it`,
        );
    }
  }
});

test('a step of an op with a need the builder does not know is a build error, not a silently lost need', (t) => {
  const ops = OPS as unknown as Record<string, { args: string[]; needs: string[] }>;
  const saved = ops.facts!;
  ops.facts = { args: [], needs: ['gpu:any'] };
  try {
    t.throws(() => new Script().op.facts('f'), { message: /does not know: gpu:any/ });
  } finally {
    ops.facts = saved;
  }
});

test('ops bring their needs: an x86-64-only op the machine, a clone3 op the call; other scripts neither', (t) => {
  const s = new Script();
  s.op.settid('tid', 0x20000000, 17, 1);
  const needs = scriptNeeds(s, 'root');
  t.deepEqual(needs[0], { kind: 'machine', machine: 'x86_64' });
  t.true(needs.some((need) => need.kind === 'syscall' && need.call === 'clone3'));
  t.true(
    needs.some((need) => need.kind === 'can-create' && need.ns === 'pid') === false,
    'settid creates what its flags say only through clone3 itself',
  );
  const plain = new Script();
  plain.read('r', '/proc/self/status');
  t.deepEqual(scriptNeeds(plain, 'root'), []);
});

test('every field a recorded run shows for a step is declared for its op', (t) => {
  const env = makeEnvironment();
  const common = new Set(['l', 'p', 'r', 'e', 'bad', 'guard', 'overflow']);
  const declared = new Map(listing.ops.map((op) => [op.name, new Set(op.fields.map((field) => field.name))]));
  let seen = 0;
  for (const suite of SPEC_SUITES) {
    const runs = readSpecRuns(suite.name);
    for (const claim of suite.claims) {
      for (const [mode, recorded] of Object.entries(runs[claim.key] ?? {})) {
        if (mode !== 'root' && mode !== 'unprivileged') continue;
        const script = claim.script({ mode, uid: mode === 'root' ? 0 : 64646, gid: mode === 'root' ? 0 : 64646 }, env);
        for (const step of recorded.steps) {
          if (!script.has(step.l)) continue;
          const op = script.describe(step.l).split(' ')[0] as OpName;
          // A poll keeps its inner op's fields too.
          const inner = op === 'poll' ? (script.describe(step.l).split(' ')[3] as OpName) : op;
          for (const field of Object.keys(step)) {
            seen += 1;
            if (!common.has(field) && !declared.get(op)?.has(field) && !declared.get(inner)?.has(field))
              t.fail(
                `${suite.name} › ${claim.key}: ${op} step ${step.l} records "${field}", which its NSC_OP entry does not declare`,
              );
          }
        }
      }
    }
  }
  t.true(seen > 1000, `${seen} recorded fields checked`);
});

test("a typed builder's label lets a check name only its op's fields (tsc checks this file)", (t) => {
  const s = new Script();
  const mount = s.op.cg_mountline('own', '{scratch}/cg');
  const file = s.stat('file', '/proc/self/ns/uts');
  t.deepEqual(expect.at(mount, 'root'), { step: 'own', field: 'root' });
  t.deepEqual(expect.at(file, 'ino'), { step: 'file', field: 'ino' });
  t.deepEqual(expect.at(file), { step: 'file', field: 'r' });
  // @ts-expect-error stat records no "text"
  t.deepEqual(expect.at(file, 'text'), { step: 'file', field: 'text' });
  t.deepEqual(expect.at('any', 'text'), { step: 'any', field: 'text' }, 'a plain label names any field');
});
