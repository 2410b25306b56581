// nsconform clean: remove what runs that were killed left behind, as named in their journals; live runs are left alone.
import { lstatSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { cleanDeadRuns } from '../run/dead-runs.ts';
import { findJournalRoot, isRunAlive, listRunDirs, readRunRecord } from '../run/journal.ts';

/**
 * nsconform-* entries of this uid in TMPDIR that no journal (of a live run or a dead one) names: made by a version
 * that did not journal them, or by something else of that name. Said, never removed: nothing proves they are ours.
 */
function unnamedTmpEntries(root: string | null, dirs: readonly string[]): string[] {
  const named = new Set(dirs.flatMap((dir) => readRunRecord(dir)?.scratch ?? []));
  const euid = process.geteuid?.() ?? 0;
  try {
    return readdirSync(tmpdir())
      .filter((name) => name.startsWith('nsconform'))
      .map((name) => join(tmpdir(), name))
      .filter((path) => path !== root && !named.has(path) && lstatSync(path, { throwIfNoEntry: false })?.uid === euid);
  } catch {
    return [];
  }
}

export function cleanLeftovers(): number {
  const root = findJournalRoot(false);
  const dirs = listRunDirs(root);
  const unnamed = unnamedTmpEntries(root, dirs);
  for (const dir of dirs.filter(isRunAlive))
    process.stdout.write(
      `nsconform clean: ${basename(dir).replace(/^run-(\d+)-\d+$/, 'the run of pid $1')} is still running; left alone\n`,
    );
  const cleaned = cleanDeadRuns((line) => process.stdout.write(`nsconform clean: ${line}\n`), dirs);
  if (cleaned === 0)
    process.stdout.write(`nsconform clean: no killed run left anything${root ? ` (journals: ${root})` : ''}\n`);
  for (const path of unnamed)
    process.stdout.write(
      `nsconform clean: ${path} is named by no run's journal, so it was left alone: remove it by hand once nothing of yours uses it\n`,
    );
  return 0;
}
