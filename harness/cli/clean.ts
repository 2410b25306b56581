// nsconform clean: remove what runs that were killed left behind, as named in their journals; live runs are left alone.
import { basename } from 'node:path';
import { cleanDeadRuns } from '../run/dead-runs.ts';
import { findJournalRoot, isRunAlive, listRunDirs } from '../run/journal.ts';

export function cleanLeftovers(): number {
  const root = findJournalRoot(false);
  const dirs = listRunDirs(root);
  for (const dir of dirs.filter(isRunAlive))
    process.stdout.write(
      `nsconform clean: ${basename(dir).replace(/^run-(\d+)-\d+$/, 'the run of pid $1')} is still running; left alone\n`,
    );
  const cleaned = cleanDeadRuns((line) => process.stdout.write(`nsconform clean: ${line}\n`), dirs);
  if (cleaned === 0)
    process.stdout.write(`nsconform clean: no killed run left anything${root ? ` (journals: ${root})` : ''}\n`);
  return 0;
}
