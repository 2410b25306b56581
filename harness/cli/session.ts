// A session: the observer pool and scratch directory a run or probe needs, journaled and released on every path.
import { existsSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { requireObserverBinary } from '../observer/binary.ts';
import { ObserverPool } from '../observer/pool.ts';
import { cleanObserverLog, emptyCleaned } from '../run/cleanup.ts';
import { RunJournal } from '../run/journal.ts';
import { startJanitor } from '../run/janitor.ts';
import { cleanDeadRuns } from '../run/dead-runs.ts';
import { makeRunCgroup, removeCgroupTree } from '../run/run-cgroup.ts';

export interface Session {
  readonly pool: ObserverPool;
  /** Empty directory children mount on, inside their own mount namespaces only. */
  readonly scratchDir: string;
  /** What this run created, for the host check and for whoever cleans up after a kill. */
  readonly journal: RunJournal;
}

/** An observer's journal, cleaned as soon as it exits: a killed observer leaves nothing for the rest of the run. */
function observerJournal(journal: RunJournal, cgroup: string | null) {
  return () => {
    const { fd, path } = journal.openObserverLog();
    return {
      fd,
      cgroup,
      afterExit: () => {
        try {
          cleanObserverLog(path, emptyCleaned());
        } catch (error) {
          process.stderr.write(`nsconform: cleaning after observer (${path}): ${(error as Error).message}\n`);
        }
      },
    };
  };
}

/** Every case cgroup is empty once its observer has gone; left, the journal would send the cleaner after it. */
function removeRunCgroup(path: string | null): boolean {
  if (path === null) return true;
  try {
    removeCgroupTree(path);
    return true;
  } catch (error) {
    process.stderr.write(`nsconform: removing the run's cgroup ${path}: ${(error as Error).message}\n`);
    return false;
  }
}

/**
 * The scratch dir, retried a while: a killed observer's case processes may still be writing in it for a moment
 * (tmp's own removal at exit threw ENOTEMPTY from the exit handler: exit 1, the dir left). After a kill the
 * janitor removes it from the journal.
 */
function removeScratch(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
  } catch (error) {
    process.stderr.write(
      `nsconform: removing the scratch dir ${path}: ${(error as Error).message}; the janitor removes it once the run has exited\n`,
    );
  }
}

/**
 * Sessions start by probing the environment, uncontained: a probe makes only namespaces of its own (the guard
 * still stands), and whether cases can be contained is what the probes tell (run.ts then decides).
 */
const PROBING = 'probing the environment';

export async function withSession<T>(concurrency: number, fn: (session: Session) => Promise<T>): Promise<T> {
  const binary = requireObserverBinary();
  cleanDeadRuns((line) => process.stderr.write(`nsconform: ${line}\n`));
  const journal = RunJournal.open();
  const janitor = startJanitor(journal.dir);
  const cgroup = makeRunCgroup(basename(journal.dir).replace(/^run-/, 'nsconform-run-'), (path) =>
    journal.noteCgroup(path),
  );
  let scratch: string | null = null;
  try {
    // Nobody but the run may reach it: setuid copies and files chowned to other ids live below. Contained cases
    // reach their scratch dir through a traversable tmpfs over this directory in their own mount namespace.
    // Named in the journal before it exists, and removed below by the session itself (removeScratch).
    const path = journal.makeScratchDir('nsconform-scratch-');
    scratch = path;
    const pool = new ObserverPool(binary, concurrency, observerJournal(journal, cgroup), PROBING);
    try {
      return await fn({ pool, scratchDir: path, journal });
    } finally {
      await pool.close();
    }
  } finally {
    // The journal goes only once what it names is gone: otherwise the janitor, once Node has exited, or the next
    // run cleans up from it (a scratch dir a late case wrote into, a cgroup still busy).
    const cgroupGone = removeRunCgroup(cgroup);
    if (scratch !== null && existsSync(scratch)) removeScratch(scratch);
    if (cgroupGone && (scratch === null || !existsSync(scratch))) {
      journal.close();
      janitor.release();
    }
  }
}
