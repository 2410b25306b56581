// A session: the observer pool and scratch directory a run or probe needs, released on every path.
import { chmod } from 'node:fs/promises';
import { setGracefulCleanup, withDir } from 'tmp-promise';
import { requireObserverBinary } from '../observer/binary.ts';
import { ObserverPool } from '../observer/pool.ts';

export interface Session {
  readonly pool: ObserverPool;
  /** Empty directory children mount on, inside their own mount namespaces only. */
  readonly scratchDir: string;
}

// An interrupted run exits through process.exit; tmp then still removes the scratch directory.
setGracefulCleanup();

export async function withSession<T>(concurrency: number, fn: (session: Session) => Promise<T>): Promise<T> {
  const binary = requireObserverBinary();
  return withDir(
    async ({ path }) => {
      // Nobody but the run may reach it: setuid copies and files chowned to other ids live below. Contained cases
      // reach their scratch dir through a traversable tmpfs over this directory in their own mount namespace.
      await chmod(path, 0o700);
      const pool = new ObserverPool(binary, concurrency);
      try {
        return await fn({ pool, scratchDir: path });
      } finally {
        await pool.close();
      }
    },
    { prefix: 'nsconform-scratch-', unsafeCleanup: true },
  );
}
