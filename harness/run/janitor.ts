// The janitor: a detached process that outlives a killed run (SIGKILL included) and cleans what its journal names.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * From the project root, two levels up both from here and from the guest bundle (native/build/): a path
 * relative to this file pointed at native/build/janitor-main.ts in the bundle, and guests ran without a janitor.
 */
const MAIN = fileURLToPath(new URL('../../harness/run/janitor-main.ts', import.meta.url));

export interface Janitor {
  /** The run cleaned up itself: the janitor leaves at once. */
  release(): void;
}

/**
 * It reads a pipe from this process: "done" then EOF means the run cleaned up; EOF alone — the kernel closes
 * the pipe however we die — means it must clean. Its own session, so a signal to our process group spares it.
 */
export function startJanitor(journalDir: string): Janitor {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), MAIN, journalDir], { detached: true, stdio: ['pipe', 'ignore', 'inherit'] });
  child.on('error', () => {}); // without a janitor, the next run cleans instead
  child.stdin.on('error', () => {});
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  return {
    release: () => {
      child.stdin.end('done\n');
    },
  };
}
