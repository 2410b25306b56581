// Generated script requests: harmless ops only (reads, stats, facts, forks without namespace flags) with wrong
// arguments, unresolved refs, deep fork nesting; a dirty script also has lines the parser must refuse.
import { CRAFTED_FILE_NAMES } from './crafted-files.ts';
import type { Rng } from './rng.ts';

const PATHS = [
  '/proc/self/status',
  '/proc/self/stat',
  '/proc/self/mountinfo',
  '/proc/self/mounts',
  '/proc/self/fd',
  '/proc/self/ns',
  '/',
  '/nonexistent',
  '',
  '{scratch}',
  '{scratch}/none',
  '{nope}',
  '{scratch}{scratch}{scratch}',
  '%00',
  '%2f%70roc',
];
/** Percent-encodings the parser must refuse: only in dirty scripts. */
const BAD_ENCODINGS = ['%zz', '%4', '%', '%%%', '%g0'];
const SCRATCH_FILES = CRAFTED_FILE_NAMES;
const NUMBERS = [
  '0',
  '1',
  '-1',
  '0x',
  '0x7fffffffffffffff',
  '0xffffffffffffffff',
  '99999999999999999999999',
  '-9223372036854775808',
  '',
  '$',
  '1e3',
  '077',
  '--1',
];
const SYSCALLS = [
  'getpid',
  'getppid',
  'gettid',
  'getuid',
  'geteuid',
  'getgid',
  'getegid',
  'sched_yield',
  'getpgid',
  'nosuch',
  '',
];
/** Ops that only read or report; `exec` replaces the process with the observer's own report. */
const READ_OPS = ['read', 'readlink', 'stat', 'lstat', 'readdir', 'readnum'];
const REPORT_OPS = [
  'facts',
  'clocks',
  'ifaces',
  'exec',
  'thread',
  'socketpair',
  'nosuchop',
  'end2',
  '%66acts',
  'probe',
];

interface ScriptState {
  rng: Rng;
  labels: string[];
  lines: string[];
  /** A clean script parses (wrong arguments only) and so runs; a dirty one has bad lines the parser must refuse. */
  dirty: boolean;
}

function label(state: ScriptState): string {
  const { rng } = state;
  if (state.dirty && rng.chance(0.1))
    return rng.pick([
      '_end',
      '_start',
      'end',
      '9lives',
      'a-b',
      'x'.repeat(32),
      'y'.repeat(31),
      'main',
      'scratch',
      '%61',
    ]);
  const name = `s${state.lines.length}`;
  state.labels.push(name);
  return name;
}

function ref(state: ScriptState): string {
  const { rng } = state;
  const known = state.labels.length ? rng.pick(state.labels) : 'none';
  return rng.pick([
    `$${known}`,
    `{${known}}`,
    '$nope',
    '{nope}',
    `$${known}_pidfd`,
    `$${known}_0`,
    '$',
    `{${known}`,
    '{}',
  ]);
}

function arg(state: ScriptState): string {
  const { rng } = state;
  const roll = rng.int(10);
  if (roll < 3) return rng.pick(PATHS);
  if (roll < 5) return `{scratch}/${rng.pick(SCRATCH_FILES)}`;
  if (roll < 7) return rng.pick(NUMBERS);
  if (roll < 8) return ref(state);
  if (roll < 9)
    return rng.pick(['s:', 'o:', 'o:-1', 'o:99999999', 'h:', 'h:zz', 'h:abc', `h:${'41'.repeat(300)}`, 's:{scratch}']);
  if (state.dirty && rng.chance(0.3)) return rng.pick(BAD_ENCODINGS);
  return rng.pick(['x'.repeat(rng.int(5000)), '%25%7b%7d', '%7bscratch%7d', `{${'v'.repeat(45)}}`]);
}

function args(state: ScriptState, min: number, max: number): string[] {
  const n = min + state.rng.int(max - min + 1);
  return Array.from({ length: n }, () => arg(state));
}

/** One step (or a fork block with its body): harmless ops, wrong arguments. */
function step(state: ScriptState, depth: number): void {
  const { rng, lines } = state;
  const roll = rng.int(state.dirty ? 20 : 18);
  if (roll < 6) {
    lines.push([label(state), rng.pick(READ_OPS), ...args(state, 0, 2)].join(' '));
  } else if (roll < 8) {
    const file = rng.pick(SCRATCH_FILES.filter((name) => name.includes('mount')));
    lines.push(
      [
        label(state),
        rng.pick(['mounts', 'mntcmp']),
        `{scratch}/${file}`,
        rng.pick(['/', '/mnt', '/mnt/', '', `{scratch}/${rng.pick(SCRATCH_FILES)}`, arg(state)]),
      ].join(' '),
    );
  } else if (roll < 11) {
    lines.push([label(state), 'sys', rng.pick(SYSCALLS), ...args(state, 0, 7)].join(' '));
  } else if (roll < 13) {
    lines.push([label(state), rng.pick(REPORT_OPS), ...args(state, 0, 2)].join(' '));
  } else if (roll < 15 && depth < 40) {
    const mode = rng.pick(['clone3', 'clone', 'vfork', '']);
    const flags = mode === 'clone' ? rng.pick(['17', '0x1011', '0', 'x']) : rng.pick(['0', '0x1000', 'x', '']);
    lines.push(
      [label(state), 'fork', mode, flags, ...(rng.chance(0.2) ? [rng.pick(['17', '0', '-1', '65'])] : [])].join(' '),
    );
    const body = rng.int(depth > 3 ? 2 : 4);
    for (let i = 0; i < body; i++) step(state, depth + 1);
    if (!state.dirty || rng.chance(0.8)) lines.push('end');
  } else if (roll < 16) {
    lines.push([label(state), 'wait', ref(state), rng.pick(['0', '1', 'x', ''])].join(' '));
  } else if (roll < 17) {
    lines.push(
      [label(state), rng.pick(['sleep', 'post', 'exit']), rng.pick(['0', '1', '3', '-1', '99', 'x', ref(state)])].join(
        ' ',
      ),
    );
  } else if (roll < 18) {
    lines.push(
      [
        label(state),
        'poll',
        rng.pick(['ok', 'ENOENT', 'r=0', 'r=x', 'r=99999999999999999999999']),
        rng.pick(['0', '20', '-5', 'x']),
        rng.pick(['read', 'stat', 'poll', 'nosuch', 'facts']),
        ...args(state, 0, 2),
      ].join(' '),
    );
  } else if (roll < 19) {
    lines.push(
      rng.pick([
        'end',
        'end x',
        ' ',
        '  lead',
        'a',
        `${label(state)} ${'op '.repeat(30)}`,
        `${label(state)} read ${'y'.repeat(70000)}`,
      ]),
    );
  } else {
    lines.push(rng.bytes(rng.int(200)));
  }
}

export function scriptRequest(rng: Rng, id: number): string {
  const state: ScriptState = { rng, labels: [], lines: [], dirty: rng.chance(0.3) };
  const target = rng.chance(0.05) ? 60 + rng.int(state.dirty ? 240 : 150) : 1 + rng.int(12);
  while (state.lines.length < target) step(state, 0);
  if (rng.chance(0.02)) {
    // The deepest nesting a script can ask for: every fork's block is the next fork.
    state.lines = [];
    const depth = 20 + rng.int(40);
    for (let i = 0; i < depth; i++) state.lines.push(`d${i} fork clone3 0`);
    state.lines.push('leaf sys getpid', ...Array.from({ length: depth }, () => 'end'));
  }
  const declared =
    state.dirty && rng.chance(0.2) ? Math.max(0, state.lines.length + rng.pick([-2, -1, 1, 300])) : state.lines.length;
  const timeout = state.dirty && rng.chance(0.1) ? rng.pick(['0', 'x', '3600001']) : rng.pick(['300', '600', '1000']);
  const scratch =
    !state.dirty || rng.chance(0.8) ? '{SCRATCH}' : rng.pick(['-', 'relative', '/nonexistent', `/${'s'.repeat(5000)}`]);
  return (
    [`script id=${id} drop=- timeout=${timeout} scratch=${scratch} steps=${declared}`, ...state.lines].join('\n') + '\n'
  );
}
