// Seeded generator of malformed observer input: bad lines, huge lines, bad numbers, unknown ops, unresolved refs,
// deep fork nesting, random bytes, overlong labels and mount tags. Scripts use harmless ops only (reads, stats,
// facts, forks without namespace flags): nothing generated here can change a host, even outside the sandbox.

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** Files the scratch directory holds for the generated steps to read (name → content). */
export function craftedFiles(rng: Rng): Record<string, string | Buffer> {
  const mount = (id: number, point: string, tags: string) => `${id} 1 8:1 / ${point} rw,relatime ${tags} - ext4 /dev/sda1 rw`;
  const tags = (n: number) => Array.from({ length: n }, (_, i) => `shared:${100000 + i}`).join(' ');
  const longPath = `/mnt/${'p'.repeat(300)}`;
  return {
    // 30 optional fields (420 bytes, more than a line's tags buffer) and 40 fields in all (below the 64 a line may have).
    'tags-mountinfo': `${mount(21, '/mnt', tags(30))}\n${mount(22, '/mnt/a', 'master:1 propagate_from:2 unbindable')}\n`,
    'many-mountinfo': Array.from({ length: 700 }, (_, i) => mount(i + 2, `/mnt/m${i}`, 'shared:1')).join('\n'),
    'big-mountinfo': Array.from({ length: 800 }, (_, i) => mount(i + 2, `/mnt/${'b'.repeat(80)}${i}`, '')).join('\n'),
    'fields-mountinfo': `21 1 8:1 / /mnt rw ${'x '.repeat(80)}- ext4 /dev rw\n1 2\n- - - - - - -\n`,
    'paths-mountinfo': Array.from({ length: 12 }, (_, i) => mount(i + 2, i % 2 ? longPath : `${longPath}x`, '')).join('\n'),
    'garbage-mountinfo': Buffer.from(Array.from({ length: 4096 }, () => rng.int(256))),
    'odd-mountstats': 'device a mounted on /mnt with fstype x\ndevice\nno device here at all ok then\n',
    'odd-mounts': 'a /mnt tmpfs rw 0 0\nb\n\n c  d  e  f \n',
    'negative': '-9223372036854775808\n',
    'huge': '999999999999999999999999999\n',
    'words': 'abc\n',
    'empty': '',
    'controls': Buffer.alloc(2800, 1),
  };
}

const PATHS = [
  '/proc/self/status', '/proc/self/stat', '/proc/self/mountinfo', '/proc/self/mounts', '/proc/self/fd', '/proc/self/ns',
  '/', '/nonexistent', '', '{scratch}', '{scratch}/none', '{nope}', '{scratch}{scratch}{scratch}', '%00', '%2f%70roc',
];
/** Percent-encodings the parser must refuse: only in dirty scripts. */
const BAD_ENCODINGS = ['%zz', '%4', '%', '%%%', '%g0'];
const SCRATCH_FILES = [
  'tags-mountinfo', 'many-mountinfo', 'big-mountinfo', 'fields-mountinfo', 'paths-mountinfo', 'garbage-mountinfo',
  'odd-mountstats', 'odd-mounts', 'negative', 'huge', 'words', 'empty', 'controls',
];
const NUMBERS = ['0', '1', '-1', '0x', '0x7fffffffffffffff', '0xffffffffffffffff', '99999999999999999999999', '-9223372036854775808', '', '$', '1e3', '077', '--1'];
const SYSCALLS = ['getpid', 'getppid', 'gettid', 'getuid', 'geteuid', 'getgid', 'getegid', 'sched_yield', 'getpgid', 'nosuch', ''];
/** Ops that only read or report; `exec` replaces the process with the observer's own report. */
const READ_OPS = ['read', 'readlink', 'stat', 'lstat', 'readdir', 'readnum'];
const REPORT_OPS = ['facts', 'clocks', 'ifaces', 'exec', 'thread', 'socketpair', 'nosuchop', 'end2', '%66acts', 'probe'];

interface ScriptState {
  rng: Rng;
  labels: string[];
  lines: string[];
  /** A clean script parses (wrong arguments only) and so runs; a dirty one has bad lines the parser must refuse. */
  dirty: boolean;
}

function label(state: ScriptState): string {
  const { rng } = state;
  if (state.dirty && rng.chance(0.1)) return rng.pick(['_end', '_start', 'end', '9lives', 'a-b', 'x'.repeat(32), 'y'.repeat(31), 'main', 'scratch', '%61']);
  const name = `s${state.lines.length}`;
  state.labels.push(name);
  return name;
}

function ref(state: ScriptState): string {
  const { rng } = state;
  const known = state.labels.length ? rng.pick(state.labels) : 'none';
  return rng.pick([`$${known}`, `{${known}}`, '$nope', '{nope}', `$${known}_pidfd`, `$${known}_0`, '$', `{${known}`, '{}']);
}

function arg(state: ScriptState): string {
  const { rng } = state;
  const roll = rng.int(10);
  if (roll < 3) return rng.pick(PATHS);
  if (roll < 5) return `{scratch}/${rng.pick(SCRATCH_FILES)}`;
  if (roll < 7) return rng.pick(NUMBERS);
  if (roll < 8) return ref(state);
  if (roll < 9) return rng.pick(['s:', 'o:', 'o:-1', 'o:99999999', 'h:', 'h:zz', 'h:abc', `h:${'41'.repeat(300)}`, 's:{scratch}']);
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
    lines.push([label(state), rng.pick(['mounts', 'mntcmp']), `{scratch}/${file}`, rng.pick(['/', '/mnt', '/mnt/', '', `{scratch}/${rng.pick(SCRATCH_FILES)}`, arg(state)])].join(' '));
  } else if (roll < 11) {
    lines.push([label(state), 'sys', rng.pick(SYSCALLS), ...args(state, 0, 7)].join(' '));
  } else if (roll < 13) {
    lines.push([label(state), rng.pick(REPORT_OPS), ...args(state, 0, 2)].join(' '));
  } else if (roll < 15 && depth < 40) {
    const mode = rng.pick(['clone3', 'clone', 'vfork', '']);
    const flags = mode === 'clone' ? rng.pick(['17', '0x1011', '0', 'x']) : rng.pick(['0', '0x1000', 'x', '']);
    lines.push([label(state), 'fork', mode, flags, ...(rng.chance(0.2) ? [rng.pick(['17', '0', '-1', '65'])] : [])].join(' '));
    const body = rng.int(depth > 3 ? 2 : 4);
    for (let i = 0; i < body; i++) step(state, depth + 1);
    if (!state.dirty || rng.chance(0.8)) lines.push('end');
  } else if (roll < 16) {
    lines.push([label(state), 'wait', ref(state), rng.pick(['0', '1', 'x', ''])].join(' '));
  } else if (roll < 17) {
    lines.push([label(state), rng.pick(['sleep', 'post', 'exit']), rng.pick(['0', '1', '3', '-1', '99', 'x', ref(state)])].join(' '));
  } else if (roll < 18) {
    lines.push([label(state), 'poll', rng.pick(['ok', 'ENOENT', 'r=0', 'r=x', 'r=99999999999999999999999']), rng.pick(['0', '20', '-5', 'x']), rng.pick(['read', 'stat', 'poll', 'nosuch', 'facts']), ...args(state, 0, 2)].join(' '));
  } else if (roll < 19) {
    lines.push(rng.pick(['end', 'end x', ' ', '  lead', 'a', `${label(state)} ${'op '.repeat(30)}`, `${label(state)} read ${'y'.repeat(70000)}`]));
  } else {
    lines.push(randomBytes(rng, rng.int(200)));
  }
}

function randomBytes(rng: Rng, n: number): string {
  return Array.from({ length: n }, () => String.fromCharCode(1 + rng.int(255)))
    .join('')
    .replace(/\n/g, ' ');
}

function scriptRequest(rng: Rng, id: number): string {
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
  const declared = state.dirty && rng.chance(0.2) ? Math.max(0, state.lines.length + rng.pick([-2, -1, 1, 300])) : state.lines.length;
  const timeout = state.dirty && rng.chance(0.1) ? rng.pick(['0', 'x', '3600001']) : rng.pick(['300', '600', '1000']);
  const scratch = !state.dirty || rng.chance(0.8) ? '{SCRATCH}' : rng.pick(['-', 'relative', '/nonexistent', `/${'s'.repeat(5000)}`]);
  return [`script id=${id} drop=- timeout=${timeout} scratch=${scratch} steps=${declared}`, ...state.lines].join('\n') + '\n';
}

function runRequest(rng: Rng, id: number): string {
  const flags = rng.pick(['0', '0x20000', '0x4000000', '0x8000000', '0x10000000', '0x20000000', '0x40000000', '0x2000000', '0x80']);
  const ops = rng.pick(['-', 'hang', 'msgget', 'msgget,hang', 'bogus', 'msgget,,']);
  const path = rng.pick(['clone3', 'unshare', 'clone', 'nope']);
  return `run id=${id} path=${path} flags=${flags} drop=- timeout=${rng.pick(['200', '500'])} scratch={SCRATCH} hostname=${rng.pick(['-', 'fuzz', 'h'.repeat(300)])} ops=${ops}\n`;
}

function malformedRequest(rng: Rng, id: number): string {
  const tokens = [
    `id=${id}`, 'id=-1', 'id=18446744073709551616', 'id=\t3', 'flags=0x', 'flags=+1', 'timeout=0', 'timeout=3600001', 'steps=257',
    'steps=-1', 'drop=1', 'drop=1:', 'drop=:1', 'drop=4294967295:0', `drop=${'9'.repeat(70)}`, 'scratch=', 'hostname=', '=', 'noequals',
    `ops=${'msgget,'.repeat(60)}`, `flagsets=${'0,'.repeat(1100)}0`, 'flagsets=', 'passes=0', 'passes=100001', `x=${'z'.repeat(3000)}`,
  ];
  const verb = rng.pick(['run', 'bench', 'script', 'quit!', 'nope', '', ' run', 'RUN']);
  const n = rng.int(6);
  return [verb, ...Array.from({ length: n }, () => rng.pick(tokens))].join(' ') + '\n';
}

/**
 * One batch: the requests one observer serves, then "quit" — or input cut short at a random byte.
 * `{SCRATCH}` stands for the scratch directory, filled in by the runner.
 */
export function generateBatch(rng: Rng, size: number): string {
  const parts: string[] = [];
  for (let id = 1; id <= size; id++) {
    const roll = rng.int(100);
    if (roll < 45) parts.push(scriptRequest(rng, id));
    else if (roll < 50) parts.push(runRequest(rng, id));
    else if (roll < 85) parts.push(malformedRequest(rng, id));
    else if (roll < 97) parts.push(`${randomBytes(rng, rng.int(300))}\n`);
    else parts.push(`${rng.pick(['run', 'script id=1 steps=3', 'x'])} ${'w'.repeat(66000 + rng.int(2000))}\n`);
  }
  const text = parts.join('');
  return rng.chance(0.2) ? text.slice(0, rng.int(text.length)) : `${text}quit\n`;
}
