// The journal and its cleaner: a dead run's processes, IPC objects, cgroups and scratch go; a live run's journal is never touched.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import koffi from 'koffi';
import { cgroup2Mount } from '../harness/env/filesystems.ts';
import { isRunning, processStart } from '../harness/host/processes.ts';
import { readIpcObjects, removeIpcObject } from '../harness/host/sysv-ipc.ts';
import { cleanDeadRuns } from '../harness/run/dead-runs.ts';
import { findJournalRoot, isRunAlive, RunJournal } from '../harness/run/journal.ts';
import { parseObserverLog } from '../harness/run/observer-log.ts';
import { cgroupPlace } from '../harness/run/run-cgroup.ts';
import {
  announceCgroup,
  announceQueueKey,
  journalQueue,
  journaledTempDir,
  removeJournaledDir,
  spawnJournaled,
} from './live-journal.ts';

const CLI = new URL('../bin/nsconform.js', import.meta.url).pathname;
const IS_ROOT = process.geteuid?.() === 0;
const msgget = koffi.load('libc.so.6').func('int msgget(int key, int flags)') as (key: number, flags: number) => number;
const CREATE = 0o1000 | 0o2000 | 0o600;

test('an observer log reads as what is still open: groups not reaped, objects not removed, announced keys', (t) => {
  const log = parseObserverLog(
    [
      'observer 10 500',
      'msgkey 0x6e00000a',
      'msg 7 0x6e00000a',
      'group 11 501',
      'reaped 11',
      'rm msg 7',
      'msgkey 0x6e00000a',
      'group 12 502',
      'shm 9 0x0',
      'mq /nsconform-q',
      '',
    ].join('\n'),
  );
  t.deepEqual(log.observer, { pid: 10, start: '500' });
  t.deepEqual([...log.groups], [[12, '502']]);
  t.deepEqual([...log.objects.keys()], ['shm 9']);
  t.deepEqual([...log.announcedKeys], [0x6e00000a]);
  t.deepEqual([...log.queues], ['/nsconform-q']);
});

test('a run is alive only while a process with its pid and start time runs', (t) => {
  t.true(isRunAlive(`/x/run-${process.pid}-${processStart(process.pid)}`));
  t.false(isRunAlive(`/x/run-${process.pid}-1`), 'a reused pid is not the run');
  t.false(isRunAlive('/x/run-999999999-1'));
});

function deadPid(): number {
  const child = spawnSync('/bin/true');
  return child.pid ?? 999999998;
}

test("the next run cleans a killed run's leftovers: case processes, SysV queues, cgroups, scratch; a live run's journal stays", async (t) => {
  const root = findJournalRoot(true);
  if (!root) return t.fail('no journal root');
  const pid = deadPid();
  const dir = join(root, `run-${pid}-12345`);
  const live = join(root, `run-${process.pid}-${processStart(process.pid)}-99`);
  // Everything below is on the host: named in this test process's own journal before it exists (live-journal.ts),
  // so that a killed test leaves nothing unnamed, whoever cleans up first.
  const scratch = journaledTempDir('nsconform-scratch-test-');
  const key = (0x6d000000 | (pid & 0xffffff)) >>> 0;
  const unnamedKey = (0x6c000000 | (pid & 0xffffff)) >>> 0;
  for (const announced of [key, unnamedKey]) announceQueueKey(announced);
  const cgroup = join(cgroup2Mount(), `nsconform-${pid}-1`);
  if (IS_ROOT) announceCgroup(cgroup);
  mkdirSync(dir, { mode: 0o700 });
  mkdirSync(live, { recursive: true, mode: 0o700 });
  writeFileSync(join(live, 'observer-1.log'), 'group 1 0\n');
  mkdirSync(join(scratch, 'case-1', 'd'), { recursive: true });
  const sleeper = spawnJournaled('/usr/bin/sleep', ['33.3'], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const sleeperStart = processStart(sleeper.pid!) ?? '0';
  const queue = msgget(key | 0, CREATE);
  journalQueue(queue, key);
  const unnamed = msgget(unnamedKey | 0, CREATE);
  if (IS_ROOT) mkdirSync(join(cgroup, 'a'), { recursive: true });
  writeFileSync(
    join(dir, 'run.json'),
    JSON.stringify({ pid, start: '12345', uid: process.geteuid?.() ?? 0, scratch: [scratch] }),
  );
  writeFileSync(
    join(dir, 'observer-1.log'),
    `observer ${pid} 12345\ngroup ${sleeper.pid} ${sleeperStart}\nmsg ${queue} ${key}\nmsgkey 0x${unnamedKey.toString(16)}\n` +
      (IS_ROOT ? `cgroup ${cgroup}\n` : ''),
  );
  try {
    // What `nsconform clean` prints, line for line (after its "nsconform clean: "): called here, in one go with
    // writing the journal, so that no other run's cleaner (npm test runs some beside) takes it first.
    const lines: string[] = [];
    cleanDeadRuns((line) => lines.push(line), [dir]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    t.false(isRunning(sleeper.pid!, sleeperStart), 'the case process group was not killed');
    const left = readIpcObjects('msg')?.filter((object) => object.id === queue || object.id === unnamed) ?? [];
    t.deepEqual(left, [], 'a journaled queue (by id, or by its announced key) is still there');
    t.false(existsSync(scratch), 'the scratch directory is still there');
    if (IS_ROOT) t.false(existsSync(cgroup), 'the cgroup is still there');
    t.false(existsSync(dir), "the dead run's journal is still there");
    t.true(existsSync(join(live, 'observer-1.log')), "a live run's journal was touched");
    // nsconform clean says what it removed, each thing by name.
    const said = lines.join('\n');
    t.regex(said, new RegExp(`^cleaned up after the run of pid ${pid}, which ended without doing so: `));
    t.regex(said, /killed 1 process\b/);
    for (const id of [queue, unnamed])
      t.regex(said, new RegExp(`removed SysV message queue key 0x[0-9a-f]{8} id ${id} `));
    t.true(said.includes(`removed scratch directory ${scratch}`), said);
    if (IS_ROOT) t.true(said.includes(`removed cgroup ${cgroup}`), said);
  } finally {
    sleeper.kill('SIGKILL');
    removeIpcObject('msg', queue);
    removeIpcObject('msg', unnamed);
    removeJournaledDir(scratch);
    rmSync(dir, { recursive: true, force: true });
    rmSync(live, { recursive: true, force: true });
    if (IS_ROOT && existsSync(cgroup)) spawnSync('rmdir', [join(cgroup, 'a'), cgroup]);
  }
});

test.serial(
  "a killed run's cgroup (named in run.json) and an observer's case cgroups: what runs in them is killed, they are removed",
  async (t) => {
    const place = cgroupPlace();
    if (!place.ok) return t.pass(`no run cgroup here: ${place.reason}`);
    const root = findJournalRoot(true);
    if (!root) return t.fail('no journal root');
    const pid = deadPid();
    const dir = join(root, `run-${pid}-12346`);
    const cgroup = join(place.parent, `nsconform-run-${pid}-12346`);
    const caseCgroup = join(cgroup, 'case-7-1');
    const removed = join(cgroup, 'case-7-2');
    announceCgroup(cgroup);
    mkdirSync(caseCgroup, { recursive: true });
    const sleeper = spawnJournaled('/usr/bin/sleep', ['33.4'], { stdio: 'ignore' });
    writeFileSync(join(caseCgroup, 'cgroup.procs'), String(sleeper.pid));
    const exited = new Promise((resolve) => sleeper.on('exit', resolve));
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ pid, start: '12346', uid: 0, scratch: [], cgroup }));
    writeFileSync(
      join(dir, 'observer-1.log'),
      `observer ${pid} 12346\ncgroup ${caseCgroup}\ncgroup ${removed}\nrmcgroup ${removed}\n`,
    );
    t.deepEqual(
      [...parseObserverLog(`cgroup ${caseCgroup}\ncgroup ${removed}\nrmcgroup ${removed}\n`).cgroups],
      [caseCgroup],
    );
    try {
      const lines: string[] = [];
      cleanDeadRuns((line) => lines.push(line), [dir]);
      t.is(
        await Promise.race([
          exited.then(() => 'killed'),
          new Promise((resolve) => setTimeout(() => resolve('alive'), 2000)),
        ]),
        'killed',
        'the process in the case cgroup was killed',
      );
      t.false(existsSync(cgroup), "the run's cgroup is still there");
      t.regex(lines.join('\n'), new RegExp(`removed cgroup ${caseCgroup}`));
    } finally {
      sleeper.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      if (existsSync(caseCgroup)) spawnSync('rmdir', [caseCgroup, cgroup]);
    }
  },
);

test('nsconform clean says what it did, or that nothing was left, and exits 0', async (t) => {
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'clean']);
  t.regex(stdout, /^nsconform clean: /m);
});

test('nsconform clean names an nsconform-* dir in TMPDIR that no journal names, and leaves it alone', async (t) => {
  // Like what versions that did not journal their test dirs left (nsconform-env-*): nothing proves it is a run's.
  // The clean's TMPDIR is a journaled dir of this test's, so a kill leaves no unnamed dir for real.
  const dir = journaledTempDir('nsconform-clean-test-');
  const unnamed = join(dir, 'nsconform-env-unnamed');
  mkdirSync(unnamed);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'clean'], {
      env: { ...process.env, TMPDIR: dir },
    });
    t.true(stdout.includes(`nsconform clean: ${unnamed} is named by no run's journal, so it was left alone`), stdout);
    t.true(existsSync(unnamed));
  } finally {
    removeJournaledDir(dir);
  }
});

test('a scratch dir is named in the journal before it exists: when the journal cannot name it, it is not made', (t) => {
  const journal = RunJournal.open();
  const ours = (): string[] =>
    readdirSync(tmpdir()).filter((name) => name.startsWith(`nsconform-scratch-order--${process.pid}-`));
  // The journal gone, as if the process were killed between naming and making: nothing may be made unnamed.
  rmSync(journal.dir, { recursive: true, force: true });
  t.throws(() => journal.makeScratchDir('nsconform-scratch-order-'), { code: 'ENOENT' });
  const made = ours();
  for (const name of made) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  t.deepEqual(made, [], 'a scratch dir was made that no journal names');
});
