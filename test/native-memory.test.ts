// Memory safety of the observer (issue 11): each finding of the review, driven through the sanitizer build.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { withDir } from 'tmp-promise';
import { OBSERVER_BINARY } from '../harness/observer/binary.ts';
import { parseRecordLine, type ScriptRecord, type StepRecord } from '../harness/observer/record.ts';
import {
  runRaw,
  SANITIZER_ENV,
  SANITIZER_REPORT,
  sanitizedObserver,
  scriptRequest,
  type RawRun,
} from './fixtures/raw-observer.ts';

const binary = sanitizedObserver();

/** Runs raw request text on the sanitizer build; fails the test on any sanitizer report. */
async function serve(t: ExecutionContext, input: string): Promise<RawRun> {
  const run = await runRaw(binary, `${input}quit\n`, { env: SANITIZER_ENV });
  t.notRegex(run.stderr, SANITIZER_REPORT);
  t.false(run.timedOut);
  return run;
}

async function runScript(
  t: ExecutionContext,
  lines: readonly string[],
  scratch?: string,
): Promise<{ raw: unknown; record: ScriptRecord }> {
  const run = await serve(t, scriptRequest(1, lines, { scratch }));
  const line = run.lines[0] ?? '';
  return { raw: JSON.parse(line), record: parseRecordLine(line) as ScriptRecord };
}

function stepOf(record: ScriptRecord, label: string): StepRecord | undefined {
  return record.steps.find((step) => step.l === label);
}

test('a mountinfo line with more optional fields than fit is cut at a whole field and says so (was a stack overflow)', async (t) => {
  await withDir(
    async ({ path }) => {
      const tags = Array.from({ length: 40 }, (_, i) => `shared:${1000000 + i}`).join(' ');
      writeFileSync(join(path, 'crafted-mountinfo'), `21 1 8:1 / /mnt rw,relatime ${tags} - ext4 /dev/sda1 rw\n`);
      const { record } = await runScript(t, [`m mounts ${path}/crafted-mountinfo /mnt`]);
      const at = (stepOf(record, 'm')?.at as Record<string, { tags: string; tagsCut?: boolean }> | undefined)?.['@'];
      t.is(stepOf(record, 'm')?.r, 1);
      t.true(at?.tagsCut);
      t.true(tags.startsWith(`${at?.tags ?? 'missing'} `));
      t.true((at?.tags.length ?? 999) < 256);
    },
    { unsafeCleanup: true },
  );
});

test('a step line over 64 KiB is refused with a reason saying so, and the next request is served', async (t) => {
  const huge = `a sys getpid ${'x'.repeat(70000)}`;
  const run = await serve(
    t,
    `script id=2 drop=- timeout=2000 scratch=- steps=2\n${huge}\nb sys getpid\n${scriptRequest(3, ['c sys getpid'])}`,
  );
  t.like(JSON.parse(run.lines[0] ?? '{}'), {
    id: 2,
    outcome: 'failed',
    reason: 'bad script: step line 0 is longer than 65535 bytes',
  });
  t.like(JSON.parse(run.lines[1] ?? '{}'), { id: 3, outcome: 'observed' });
});

test('a script record too big for the observer stays valid JSON, says truncated, and the harness makes it an error', async (t) => {
  const lines = Array.from({ length: 200 }, (_, i) => `s${i} read /proc/self/status`);
  const { raw, record } = await runScript(t, lines);
  const kept = (raw as ScriptRecord).steps.map((step) => step.l);
  t.true((raw as ScriptRecord).truncated);
  t.true(kept.length > 10 && kept.length < 200);
  t.deepEqual(
    kept,
    lines.slice(0, kept.length).map((line) => line.split(' ')[0]),
  );
  t.is(record.outcome, 'failed');
  t.regex(record.reason ?? '', /^observer record truncated: only the first \d+ steps were kept/);
});

test('bytes a script writes to its own step pipe are dropped and the record marked truncated, never spliced in', async (t) => {
  // The script's first process holds the pipe's write end as fd 5 (0-2 stdio, 3 the observer's exe, 4 the read end).
  const { raw, record } = await runScript(t, [
    'fd readlink /proc/self/fd/5',
    'raw sys write 5 h:78787878 4',
    'after sys getpid',
  ]);
  t.regex(String(stepOf(raw as ScriptRecord, 'fd')?.text), /^pipe:/);
  t.true((raw as ScriptRecord).truncated);
  t.is(record.outcome, 'failed');
});

test('a step whose fields overflow its record keeps its label, and the harness makes the record an error', async (t) => {
  await withDir(
    async ({ path }) => {
      writeFileSync(join(path, 'controls'), '\x01'.repeat(2800)); // each byte escapes to six
      const { raw, record } = await runScript(t, ['big read {scratch}/controls', 'after sys getpid'], path);
      t.like(stepOf(raw as ScriptRecord, 'big'), { overflow: true, r: 2800 });
      t.is(record.outcome, 'failed');
      t.regex(record.reason ?? '', /the fields of step big did not fit/);
    },
    { unsafeCleanup: true },
  );
});

test('labels the observer reserves or cannot keep are refused before any step runs', async (t) => {
  for (const [label, why] of [
    ['_end', 'does not start with a letter'],
    ['_start', 'does not start with a letter'],
    ['a'.repeat(32), 'is longer than 31 characters'],
    ['a-b', "has a character other than a letter, digit or '_'"],
  ] as const) {
    const { record } = await runScript(t, [`${label} sys getpid`, 'after sys getpid']);
    t.is(record.outcome, 'failed', label);
    t.true(
      record.reason?.startsWith('bad script: step 0: label "') && record.reason.endsWith(`" ${why}`),
      record.reason,
    );
  }
  const { record } = await runScript(t, ['end sys getpid']);
  t.regex(record.reason ?? '', /"end" closes a block and takes nothing after it/);
});

test('a 31-character fork label keeps its own value apart from LABEL_pidfd, and {label} substitutes it', async (t) => {
  const label = `f${'x'.repeat(30)}`;
  const { record } = await runScript(t, [
    `${label} fork clone3 0x1000`,
    'inner sys getpid',
    'end',
    `seen stat /proc/{${label}}`,
    `reaped wait $${label}`,
  ]);
  const pid = stepOf(record, label)?.r ?? -1;
  t.true(pid > 0);
  t.is(stepOf(record, 'seen')?.r, 0);
  t.is(stepOf(record, 'reaped')?.r, pid);
  t.is(typeof stepOf(record, label)?.pidfd, 'number');
});

test('readnum refuses a negative or out-of-range number as ERANGE, with the text, never as a result', async (t) => {
  await withDir(
    async ({ path }) => {
      const numbers = ['-5', '-9223372036854775808', '99999999999999999999'];
      numbers.forEach((text, i) => writeFileSync(join(path, `n${i}`), `${text}\n`));
      const { record } = await runScript(
        t,
        numbers.map((_, i) => `n${i} readnum {scratch}/n${i}`),
        path,
      );
      numbers.forEach((text, i) => t.like(stepOf(record, `n${i}`), { r: -1, e: 'ERANGE', text }));
    },
    { unsafeCleanup: true },
  );
});

test('a number in a request with a blank or sign before it is refused, not read as strtoull would', async (t) => {
  const run = await serve(t, 'run id=5 path=clone3 flags=0 drop=- timeout=\t+9 scratch=- hostname=- ops=hang\n');
  t.like(JSON.parse(run.lines[0] ?? '{}'), { id: 5, outcome: 'failed' });
  t.regex(run.lines[0] ?? '', /bad request: bad token: timeout=/);
});

test('a set-user-ID, set-group-ID or file-capability copy of the observer refuses to serve (AT_SECURE)', async (t) => {
  if (process.getuid?.() !== 0) return t.pass('not root: cannot make a set-user-ID copy owned by another user');
  await withDir(
    async ({ path }) => {
      chmodSync(path, 0o711);
      for (const [name, mode] of [
        ['setuid', 0o4755],
        ['setgid', 0o2755],
      ] as const) {
        const copy = join(path, name);
        copyFileSync(OBSERVER_BINARY, copy);
        chownSync(copy, 65533, 65533); // ids no account has: even a copy that served would hold nothing
        chmodSync(copy, mode);
        const run = await runRaw(
          copy,
          'run id=1 path=clone3 flags=0 drop=- timeout=1000 scratch=- hostname=- ops=-\nquit\n',
          {
            wrapper: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
          },
        );
        t.is(run.code, 126, name);
        t.deepEqual(run.lines, [], name);
        t.regex(run.stderr, /^nsconform-observer: refusing to run: .*\(AT_SECURE\)/, name);
      }
      const capabilities = join(path, 'filecaps');
      copyFileSync(OBSERVER_BINARY, capabilities);
      chmodSync(capabilities, 0o755);
      if (spawnSync('setcap', ['cap_net_raw+ep', capabilities]).status !== 0)
        return t.log('no setcap (libcap2-bin): the file-capability copy is not tried');
      const run = await runRaw(capabilities, 'quit\n', {
        wrapper: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
      });
      t.is(run.code, 126, 'file capabilities');
    },
    { unsafeCleanup: true },
  );
});

test('an argument longer than its buffer once substituted fails the step with E2BIG, never acting on a shorter path', async (t) => {
  await withDir(
    async ({ path }) => {
      // Cut at 4095 bytes this would name the scratch directory itself, which exists.
      const { record } = await runScript(
        t,
        [`long stat {scratch}${'/'.repeat(4200)}missing`, 'after sys getpid'],
        path,
      );
      t.like(stepOf(record, 'long'), {
        r: -1,
        e: 'E2BIG',
        bad: 'argument 0 is longer than 4095 bytes once substituted',
      });
      t.true((stepOf(record, 'after')?.r ?? -1) > 0);
    },
    { unsafeCleanup: true },
  );
});

test('a sys length larger than its o: buffer stops at the buffer, never writing over the process', async (t) => {
  await withDir(
    async ({ path }) => {
      writeFileSync(join(path, 'z'), 'z'.repeat(3000));
      const { record } = await runScript(
        t,
        [
          'fd sys openat -100 s:{scratch}/z 0',
          'rd sys read $fd o:16 3000',
          `odd sys getpid h:abc`,
          `big sys getpid h:${'41'.repeat(513)}`,
        ],
        path,
      );
      t.true((stepOf(record, 'fd')?.r ?? -1) >= 0);
      t.is(stepOf(record, 'rd')?.r, 512); // the kernel filled the 512-byte buffer and met the page no one may touch
      t.like(stepOf(record, 'odd'), { e: 'EINVAL' });
      t.like(stepOf(record, 'big'), { e: 'EINVAL' });
    },
    { unsafeCleanup: true },
  );
});
