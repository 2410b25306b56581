// The run's journal: a private directory naming what the run made (scratch, observers' objects), so a kill leaves nothing unnamed.
import {
  closeSync,
  lstatSync,
  statSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.ts';
import { isRunning, processStart } from '../host/processes.ts';

export interface RunRecord {
  readonly pid: number;
  readonly start: string;
  readonly uid: number;
  /** Directories the run made and removes; the cleaner removes them if it could not. */
  readonly scratch: readonly string[];
  /** The inode of the run's PID namespace: its pid means nothing to a run in another one. */
  readonly pidns?: number;
  /** The run's cgroup (run-cgroup.ts), named before it is made: the cleaner kills what is in it and removes it. */
  readonly cgroup?: string;
}

/** This process's PID namespace, by the inode of /proc/self/ns/pid (0 when unreadable). */
function ownPidNamespace(): number {
  try {
    return statSync('/proc/self/ns/pid').ino;
  } catch {
    return 0;
  }
}

/**
 * Root: /run (a tmpfs, root's alone, emptied at boot just as the kernel objects it names vanish). Others, and
 * root of a user namespace whose /run belongs to the host (`unshare -r`, `podman unshare`): their XDG runtime
 * dir, else their state dir, else a dir of their own under TMPDIR — each accepted only if it is theirs and
 * private, since the journal tells the cleaner what to kill and remove.
 */
export function journalRootCandidates(): string[] {
  const euid = process.geteuid?.() ?? 0;
  const home = process.env.HOME ?? homedir();
  return [
    ...(euid === 0 ? ['/run/nsconform-journal'] : []),
    ...(process.env.XDG_RUNTIME_DIR ? [join(process.env.XDG_RUNTIME_DIR, 'nsconform-journal')] : []),
    join(process.env.XDG_STATE_HOME ?? join(home, '.local', 'state'), 'nsconform', 'journal'),
    join(tmpdir(), `nsconform-journal-${euid}`),
  ];
}

function isPrivateDir(path: string): boolean {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  return (
    stat !== undefined && stat.isDirectory() && stat.uid === (process.geteuid?.() ?? 0) && (stat.mode & 0o077) === 0
  );
}

/** The first candidate that exists or can be made and is private to this uid; null when none is. */
export function findJournalRoot(make: boolean): string | null {
  for (const root of journalRootCandidates()) {
    try {
      if (make) mkdirSync(root, { recursive: true, mode: 0o700 });
      if (isPrivateDir(root)) return root;
    } catch {
      // try the next place
    }
  }
  return null;
}

export function readRunRecord(dir: string): RunRecord | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord;
  } catch {
    return null;
  }
}

/** Whether the run whose journal is `dir` (named run-<pid>-<start time>-<session>) is still alive; a reused pid does not count. */
export function isRunAlive(dir: string): boolean {
  const match = /run-(\d+)-(\d+)(?:-\d+)?$/.exec(dir);
  // A name this version cannot read may be another version's live run, and a run in another PID namespace
  // (a container sharing /run) has pids that mean nothing here: never clean what is not known dead.
  if (match === null) return true;
  const pidns = readRunRecord(dir)?.pidns;
  if (pidns !== undefined && pidns !== ownPidNamespace()) return true;
  return isRunning(Number(match[1]), match[2] ?? '');
}

/** Every run directory under the journal root (alive or not). */
export function listRunDirs(root: string | null = findJournalRoot(false)): string[] {
  if (root === null) return [];
  try {
    return readdirSync(root)
      .filter((name) => name.startsWith('run-'))
      .map((name) => join(root, name));
  } catch {
    return [];
  }
}

let sessionsOpened = 0;

export class RunJournal {
  readonly dir: string;
  readonly #root: string;
  #record: RunRecord;
  #observers = 0;

  private constructor(root: string) {
    const start = processStart(process.pid) ?? '0';
    this.#root = root;
    // One process may hold several sessions at once (tests do): each after the first gets a numbered directory.
    const session = sessionsOpened++;
    this.dir = join(root, `run-${process.pid}-${start}${session ? `-${session}` : ''}`);
    this.#record = { pid: process.pid, start, uid: process.geteuid?.() ?? 0, scratch: [], pidns: ownPidNamespace() };
    mkdirSync(this.dir, { mode: 0o700 });
    this.#write();
  }

  static open(): RunJournal {
    const root = findJournalRoot(true);
    if (root === null)
      throw new EnvironmentError(
        `no private directory for the run's journal (tried ${journalRootCandidates().join(', ')}): make one of them writable by uid ${process.geteuid?.() ?? '?'}`,
      );
    return new RunJournal(root);
  }

  noteScratch(path: string): void {
    this.#record = { ...this.#record, scratch: [...this.#record.scratch, path] };
    this.#write();
  }

  /**
   * A private directory under TMPDIR (`<prefix>-<pid>-<random>`), named in the journal before it exists: a kill
   * at any point leaves no directory the cleaner does not know of. Private from its first moment.
   */
  makeScratchDir(prefix: string): string {
    for (;;) {
      const path = join(tmpdir(), `${prefix}-${process.pid}-${randomBytes(6).toString('hex')}`);
      this.noteScratch(path);
      try {
        mkdirSync(path, { mode: 0o700 });
        return path;
      } catch (error) {
        this.forgetScratch(path);
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  }

  /** A scratch directory the run removed itself: the cleaner must not remove a later one of that name. */
  forgetScratch(path: string): void {
    this.#record = { ...this.#record, scratch: this.#record.scratch.filter((named) => named !== path) };
    this.#write();
  }

  noteCgroup(path: string): void {
    this.#record = { ...this.#record, cgroup: path };
    this.#write();
  }

  /** A fresh append-only log for one observer; the caller hands the fd to the observer and closes its copy. */
  openObserverLog(): { fd: number; path: string } {
    this.#observers += 1;
    const path = join(this.dir, `observer-${this.#observers}.log`);
    return { fd: openSync(path, 'a', 0o600), path };
  }

  /** Everything named here is gone: the journal goes too (and its root, when it was a private dir of TMPDIR and is empty). */
  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
    if (this.#root.startsWith(tmpdir())) {
      try {
        rmdirSync(this.#root);
      } catch {
        // another run of ours still has its journal there
      }
    }
  }

  /** Written beside and renamed, so a kill never leaves half a record. */
  #write(): void {
    const partial = join(this.dir, 'run.json.partial');
    writeFileSync(partial, JSON.stringify(this.#record), { mode: 0o600 });
    renameSync(partial, join(this.dir, 'run.json'));
  }
}

export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
