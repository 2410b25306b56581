// Runs that died without cleaning up (SIGKILL, a crash, a power cut of the container): found by their journals, cleaned.
import { basename } from 'node:path';
import { cleanRunDir, emptyCleaned, type Cleaned } from './cleanup.ts';
import { isRunAlive, listRunDirs } from './journal.ts';

export function describeCleaned(cleaned: Cleaned): string {
  const parts = [
    ...(cleaned.processes ? [`killed ${cleaned.processes} process${cleaned.processes === 1 ? '' : 'es'}`] : []),
    ...cleaned.removed.map((what) => `removed ${what}`),
  ];
  return parts.length ? parts.join('; ') : 'nothing was left';
}

/** Cleans every journal whose run is dead; a live run's (another run at the same time) is never touched. */
export function cleanDeadRuns(print: (line: string) => void, dirs: readonly string[] = listRunDirs()): number {
  let count = 0;
  for (const dir of dirs) {
    if (isRunAlive(dir)) continue;
    const cleaned = cleanRunDir(dir, emptyCleaned());
    count += 1;
    print(
      `cleaned up after ${basename(dir).replace(/^run-(\d+)-\d+(?:-\d+)?$/, 'the run of pid $1')}, which ended without doing so: ${describeCleaned(cleaned)}`,
    );
  }
  return count;
}
