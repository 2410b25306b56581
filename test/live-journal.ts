// The test process's own run journal: what its helpers make on the host is named before it exists, and removed by a janitor however the process dies.
// A test process dies in ways a run does not: ava SIGTERMs a worker at its timeout, Ctrl-C reaches it, a CI job is
// killed. Its observers, scratch dirs, SysV queues and CLI runs are then a dead run's to the janitor it started,
// to the next run and to `nsconform clean`; a normal exit removes them itself. A real run beside the tests (the
// e2e and kill-safety tests) sees a live run's journal and leaves its objects alone.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { rmSync, writeSync } from 'node:fs';
import { processStart } from '../harness/host/processes.ts';
import { hexKey } from '../harness/host/sysv-ipc.ts';
import { OBSERVER_BINARY } from '../harness/observer/binary.ts';
import { ObserverClient } from '../harness/observer/client.ts';
import { cleanRunDir } from '../harness/run/cleanup.ts';
import { startJanitor } from '../harness/run/janitor.ts';
import { RunJournal } from '../harness/run/journal.ts';

interface TestJournal {
  readonly journal: RunJournal;
  /** An append-only log in the observer-log format, for what the helpers make themselves. */
  readonly log: number;
}

let opened: TestJournal | null = null;

function testJournal(): TestJournal {
  if (opened !== null) return opened;
  const journal = RunJournal.open();
  const janitor = startJanitor(journal.dir);
  const { fd } = journal.openObserverLog();
  opened = { journal, log: fd };
  process.once('exit', () => {
    // A CLI run a timed-out test left, a queue a failed test did not remove: gone with the journal.
    cleanRunDir(journal.dir);
    janitor.release();
  });
  return opened;
}

function note(line: string): void {
  writeSync(testJournal().log, `${line}\n`);
}

export function journaledObserver(): ObserverClient {
  return new ObserverClient(OBSERVER_BINARY, { fd: testJournal().journal.openObserverLog().fd, afterExit: () => {} });
}

/** A fresh log of the journal, for an observer the test starts itself (it inherits the fd; close the test's copy). */
export function journalLog(): { fd: number; path: string } {
  return testJournal().journal.openObserverLog();
}

/** A private directory under TMPDIR, journaled before it exists; `removeJournaledDir` when done. */
export function journaledTempDir(prefix: string): string {
  return testJournal().journal.makeScratchDir(prefix);
}

export function removeJournaledDir(path: string): void {
  rmSync(path, { recursive: true, force: true });
  testJournal().journal.forgetScratch(path);
}

/** Before msgget(key, IPC_CREAT | IPC_EXCL …): a kill before `journalQueue` still leaves the queue named. */
export function announceQueueKey(key: number): void {
  note(`msgkey ${hexKey(key)}`);
}

export function journalQueue(id: number, key: number): void {
  note(`msg ${id} ${hexKey(key)}`);
}

/** Before mkdir: a cgroup the cleaner kills what is in and removes. */
export function announceCgroup(path: string): void {
  note(`cgroup ${path}`);
}

/**
 * A child in a process group of its own, journaled as soon as it exists (its group is what the cleaner kills):
 * a CLI run the test started ends with the test process, and its own janitor then cleans up after it.
 */
export function spawnJournaled(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  journalGroup(child);
  return child;
}

/** For a child started with `detached: true` elsewhere (execFile). */
export function journalGroup(child: ChildProcess): void {
  const start = child.pid === undefined ? null : processStart(child.pid);
  if (start !== null) note(`group ${child.pid} ${start}`);
}
