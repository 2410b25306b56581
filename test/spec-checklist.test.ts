// The checklist parser (harness/spec/): a well-formed entry reads into its fields, a malformed one is refused with file and line;
// the deviations and the entries link each other; spec/COVERAGE.md is current; nsconform list --spec prints the citing claims.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { ChecklistError } from '../harness/spec/blocks.ts';
import { parseAreaFile } from '../harness/spec/checklist.ts';
import { COVERAGE_PATH, currentCoverage } from '../harness/spec/coverage.ts';
import { parseDeviations } from '../harness/spec/deviations.ts';
import { loadChecklist, SPEC_DIR } from '../harness/spec/load.ts';
import { describeKernels, readRecordedKernels } from '../harness/spec/recorded-kernels.ts';
import { parseOptions } from '../harness/cli/args.ts';
import { UsageError } from '../harness/errors.ts';
import { loadSuites } from '../suites/registry.ts';

const { suites: SUITES } = await loadSuites();

const GOOD = `# UTS — UTS namespaces

Introduction, not an entry.

### UTS-04

Changing a name needs CAP_SYS_ADMIN
over the owning user namespace.

- Priv: U, R — R for the part that maps several ids
- Kernel: —
- Man: gethostname(2) ERRORS; user_namespaces(7) "Capabilities"
- Seen: 6.18: EPERM.
- Deviations: [D3](deviations.md#d3), [D12](deviations.md#d12)
`;

test('a well-formed entry reads into id, area, statement, privilege, kernel, man pages and deviations', (t) => {
  const [entry, ...rest] = parseAreaFile(GOOD, 'UTS.md', 'UTS');
  t.is(rest.length, 0);
  t.like(entry, {
    id: 'UTS-04',
    area: 'UTS',
    statement: 'Changing a name needs CAP_SYS_ADMIN over the owning user namespace.',
    priv: ['U', 'R'],
    privDetail: 'R for the part that maps several ids',
    kernel: '—',
    manPages: ['gethostname(2) ERRORS', 'user_namespaces(7) "Capabilities"'],
    seen: '6.18: EPERM.',
    deviations: ['D3', 'D12'],
    notCovered: '',
    line: 5,
  });
});

const MALFORMED: ReadonlyArray<[string, (text: string) => string, RegExp]> = [
  ['a heading that is not an id', (text) => text.replace('### UTS-04', '### UTS-4'), /UTS\.md:5: an entry heading/],
  ['an id of another area', (text) => text.replace('### UTS-04', '### IPC-04'), /UTS\.md:5: an entry heading/],
  ['an id given twice', (text) => `${text}\n${text.slice(text.indexOf('### '))}`, /UTS-04 appears twice/],
  ['no statement', (text) => text.replace(/Changing[^\n]*\nover[^\n]*\n/, ''), /UTS-04 has no statement/],
  ['a required field missing', (text) => text.replace(/- Man: .*\n/, ''), /UTS-04 lacks Man/],
  ['an unknown field', (text) => text.replace('- Seen:', '- Observed:'), /unknown field "Observed"/],
  [
    'a field given twice',
    (text) => text.replace('- Kernel: —', '- Kernel: —\n- Kernel: 3.8'),
    /UTS\.md:12: UTS-04: Kernel given twice/,
  ],
  [
    'a privilege class that does not exist',
    (text) => text.replace('- Priv: U, R', '- Priv: U/R'),
    /UTS\.md:10: Priv lists A, U, N or R/,
  ],
  [
    'a man page without its section',
    (text) => text.replace('gethostname(2) ERRORS', 'gethostname ERRORS'),
    /UTS\.md:12: each Man item starts with a page/,
  ],
  [
    'a deviation link that points elsewhere',
    (text) => text.replace('deviations.md#d12', 'deviations.md#d13'),
    /links must read like/,
  ],
  ['a deviation named but not linked', (text) => text.replace('[D3](deviations.md#d3)', 'D3'), /links must read like/],
  ['prose after the fields', (text) => `${text}\nA stray sentence.\n`, /the statement comes before the fields/],
  [
    'a list item in the statement',
    (text) => text.replace('over the owning', '- over the owning'),
    /a field line is "- Name: value"/,
  ],
  [
    'a second-level heading inside the entries',
    (text) => `${text}\n## More\n`,
    /no other headings after the first entry/,
  ],
];

for (const [what, edit, message] of MALFORMED) {
  test(`the parser refuses ${what}`, (t) => {
    const error = t.throws(() => parseAreaFile(edit(GOOD), 'UTS.md', 'UTS'), { instanceOf: ChecklistError });
    t.regex(error.message, message);
    t.regex(error.message, /^spec\/UTS\.md:\d+: /);
  });
}

test('a deviation reads its page, the entries it concerns and the kernels that show it', (t) => {
  const text =
    '# Deviations\n\n### D9\n\nThe bit is read as a signal.\n\n- Page: nothing.\n- Concerns: [CLONE-08](CLONE.md#clone-08)\n- Kernels: 6.1, 6.18\n';
  t.like(parseDeviations(text, 'deviations.md')[0], { id: 'D9', concerns: ['CLONE-08'], kernels: ['6.1', '6.18'] });
  t.throws(() => parseDeviations(text.replace('6.1, 6.18', 'recent ones'), 'deviations.md'), {
    message: /Kernels lists releases/,
  });
  t.throws(() => parseDeviations(text.replace('CLONE.md#clone-08', 'NS.md#clone-08'), 'deviations.md'), {
    message: /links must read like/,
  });
});

test('the checklist holds all 214 ids in 16 areas, and D1–D16 with the kernels that show them', (t) => {
  const { areas, entries, deviations } = loadChecklist();
  t.is(areas.length, 16);
  t.is(entries.length, 214);
  t.deepEqual(
    deviations.map((deviation) => deviation.id),
    Array.from({ length: 16 }, (_, index) => `D${index + 1}`),
  );
  t.deepEqual(deviations.find((deviation) => deviation.id === 'D14')?.kernels, ['7.2.13']);
  t.deepEqual(entries.find((entry) => entry.id === 'CLONE-08')?.deviations, ['D9', 'D14']);
  for (const entry of entries) t.true(entry.priv.length > 0 && entry.manPages.length > 0, entry.id);
});

test('a deviation and the entries it concerns must link each other', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nsconform-spec-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(SPEC_DIR, dir, { recursive: true });
  const ns = join(dir, 'NS.md');
  const original = readFileSync(ns, 'utf8');
  writeFileSync(ns, original.replace(', [D15](deviations.md#d15)', ''));
  t.throws(() => loadChecklist(dir), {
    instanceOf: ChecklistError,
    message: /NS-06 does not link to D15, which concerns it/,
  });
  writeFileSync(ns, original.replace('- Priv: N', '- Priv: N\n- Deviations: [D2](deviations.md#d2)'));
  t.throws(() => loadChecklist(dir), {
    instanceOf: ChecklistError,
    message: /NS-07 links to D2, which does not list it/,
  });
  rmSync(ns);
  t.throws(() => loadChecklist(dir), { instanceOf: ChecklistError, message: /NS\.md: missing/ });
});

test('spec/COVERAGE.md is current (npm run coverage rewrites it)', (t) => {
  const cases = SUITES.flatMap((suite) => suite.groups().flatMap((group) => group.cases.map(({ info }) => info)));
  const committed = readFileSync(COVERAGE_PATH, 'utf8').split('\n');
  const current = currentCoverage(cases).split('\n');
  const line = current.findIndex((text, index) => committed[index] !== text);
  const differs = line === -1 ? committed.length !== current.length : true;
  t.false(
    differs,
    `spec/COVERAGE.md is out of date from line ${line + 1} (now ${JSON.stringify(current[line])}): run npm run coverage`,
  );
});

test('recorded kernels: a run with a kernel names it, an older run says not recorded, no run says so', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nsconform-spec-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'uts.json'),
    JSON.stringify({
      a: { root: { kernel: '6.18.44', steps: [] }, unprivileged: { kernel: '6.18.44', steps: [] } },
      b: { root: [] },
      c: { root: { kernel: '6.1.0-56-amd64', steps: [] }, harness: { steps: [] } },
    }),
  );
  const kernels = readRecordedKernels('uts', dir);
  t.is(describeKernels(kernels.get('a')), '6.18.44 (root, unprivileged)');
  t.is(describeKernels(kernels.get('b')), 'not recorded (root)');
  t.is(describeKernels(kernels.get('c')), '6.1.0-56-amd64 (root); not recorded (harness)');
  t.is(describeKernels(kernels.get('d')), 'no recorded run');
  t.is(readRecordedKernels('no-such-suite', dir).size, 0);
});

test('--spec goes with list only', (t) => {
  t.true(parseOptions(['list', '--spec']).spec);
  t.false(parseOptions(['list']).spec);
  t.throws(() => parseOptions(['run', '--spec']), { instanceOf: UsageError, message: /--spec goes with list/ });
});

test('nsconform list --spec prints each id with the claims citing it among the selected cases', async (t) => {
  const bin = new URL('../bin/nsconform.js', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, [bin, 'list', '--spec', '--only', 'uts › *'], {
    maxBuffer: 1 << 24,
  });
  t.regex(stdout, /^NS — nsfs and the \/proc\/\[pid\]\/ns links$/m);
  t.regex(stdout, /^UTS-04 {2}\[U\] {2}Changing either name needs CAP_SYS_ADMIN/m);
  t.regex(stdout, /^UTS-04[^]*?\n {4}cited by uts › \S+ \(\d+ cases?\)/m);
  t.regex(stdout, /^NET-09[^]*?\n {4}not cited: a check would move a host network card/m);
  t.regex(stdout, /^NS-01[^]*?\n {4}not cited by the selected cases$/m);
  t.regex(stdout, /^214 ids, \d+ cited by the selected cases$/m);
  const { stdout: json } = await promisify(execFile)(
    process.execPath,
    [bin, 'list', '--spec', '--json', '--only', 'uts › *'],
    { maxBuffer: 1 << 24 },
  );
  const entries = JSON.parse(json) as Array<{ id: string; claims: Array<{ suite: string; cases: string[] }> }>;
  t.is(entries.length, 214);
  const uts04 = entries.find((entry) => entry.id === 'UTS-04')!;
  t.true(
    uts04.claims.length > 0 &&
      uts04.claims.every((claim) => claim.suite === 'uts' && claim.cases.every((id) => id.startsWith('uts › '))),
  );
});
