// The janitor's process: waits for its run to end, and cleans up after it unless the run said it did.
import { cleanRunDir, emptyCleaned } from './cleanup.ts';
import { describeCleaned } from './dead-runs.ts';
import { isRunAlive } from './journal.ts';

const dir = process.argv[2] ?? '';
let said = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  said += chunk;
});
process.stdin.on('end', () => {
  if (said.includes('done')) return;
  // The pipe closes as the run's process dies; wait (bounded) until it is gone from /proc too.
  const deadline = Date.now() + 2000;
  const waitForDeath = (): void => {
    if (isRunAlive(dir) && Date.now() < deadline) {
      setTimeout(waitForDeath, 20);
      return;
    }
    if (isRunAlive(dir)) return; // it closed the pipe yet lives on: it will clean up itself
    const cleaned = cleanRunDir(dir, emptyCleaned());
    process.stderr.write(`nsconform: the run ended without cleaning up; did it: ${describeCleaned(cleaned)}\n`);
  };
  waitForDeath();
});
