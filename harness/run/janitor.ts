// The janitor: a detached process that outlives a killed run (SIGKILL included) and cleans what its journal names.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('./janitor-main.ts', import.meta.url));
/**
 * Inside the vm guest's runner bundle (harness/vm/guest-entry.ts) this module lives in a .mjs and the
 * janitor is bundled beside it: started without tsx, which costs seconds of CPU under emulation.
 */
const BUNDLED_MAIN = fileURLToPath(new URL('./nsconform-janitor.mjs', import.meta.url));

function janitorArgs(journalDir: string): string[] {
  return import.meta.url.endsWith('.mjs')
    ? [BUNDLED_MAIN, journalDir]
    : ['--import', import.meta.resolve('tsx'), MAIN, journalDir];
}

export interface Janitor {
  /** The run cleaned up itself: the janitor leaves at once. */
  release(): void;
}

/**
 * It reads a pipe from this process: "done" then EOF means the run cleaned up; EOF alone — the kernel closes
 * the pipe however we die — means it must clean. Its own session, so a signal to our process group spares it.
 */
export function startJanitor(journalDir: string): Janitor {
  const child = spawn(process.execPath, janitorArgs(journalDir), {
    detached: true,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
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
