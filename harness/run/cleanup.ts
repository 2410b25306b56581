// Cleaning up after an observer or a whole run that died: whatever its journal names that is still there.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRunning, killRecordedGroup } from '../host/processes.ts';
import {
  describeIpcObject,
  IPC_KINDS,
  readIpcObjects,
  removeIpcObject,
  unlinkMessageQueue,
  type IpcObject,
} from '../host/sysv-ipc.ts';
import { parseObserverLog } from './observer-log.ts';
import { readRunRecord } from './journal.ts';
import { removeCgroupTree } from './run-cgroup.ts';

export interface Cleaned {
  processes: number;
  readonly removed: string[];
}

export function emptyCleaned(): Cleaned {
  return { processes: 0, removed: [] };
}

function currentObjects(): IpcObject[] {
  return IPC_KINDS.flatMap((kind) => readIpcObjects(kind) ?? []);
}

/**
 * Kills the observer's unreaped case groups (and the observer, if it is somehow still there) and removes
 * the IPC objects it created and did not remove. An object is removed only if its id still carries the
 * key the journal wrote; an announced key with no id (killed between msgget and the note) only if its
 * creator uid is this one's.
 */
export function cleanObserverLog(path: string, cleaned: Cleaned): void {
  const log = parseObserverLog(readFileSync(path, 'utf8'));
  if (log.observer && isRunning(log.observer.pid, log.observer.start)) {
    process.kill(log.observer.pid, 'SIGKILL');
    cleaned.processes += 1;
  }
  for (const [pgid, start] of log.groups) cleaned.processes += killRecordedGroup(pgid, start);
  const objects = currentObjects();
  const euid = process.geteuid?.() ?? 0;
  for (const { kind, id, key } of log.objects.values()) {
    const found = objects.find((object) => object.kind === kind && object.id === id && object.key === key);
    if (found && removeIpcObject(kind, id)) cleaned.removed.push(describeIpcObject(found));
  }
  const named = new Set([...log.objects.values()].map((object) => object.key));
  for (const key of log.announcedKeys) {
    if (named.has(key)) continue;
    const found = objects.find((object) => object.kind === 'msg' && object.key === key && object.cuid === euid);
    if (found && removeIpcObject('msg', found.id)) cleaned.removed.push(describeIpcObject(found));
  }
  for (const name of log.queues) {
    if (name.includes('nsconform') && unlinkMessageQueue(name)) cleaned.removed.push(`POSIX message queue ${name}`);
  }
  for (const path of log.cgroups) removeJournaledCgroup(path, cleaned);
  // Done: a second cleaning of this log finds nothing to do.
  writeFileSync(path, '');
}

/** A cgroup a journal named (the run's, or a case's), its processes killed, if it is still there. */
function removeJournaledCgroup(path: string, cleaned: Cleaned): void {
  if (!existsSync(path)) return;
  try {
    removeCgroupTree(path);
    cleaned.removed.push(`cgroup ${path}`);
  } catch (error) {
    cleaned.removed.push(`cgroup ${path} could not be removed: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/** Everything a dead run's journal names, then the journal itself. The caller has checked the run is dead. */
export function cleanRunDir(dir: string, cleaned: Cleaned = emptyCleaned()): Cleaned {
  const record = readRunRecord(dir);
  let logs: string[];
  try {
    logs = readdirSync(dir)
      .filter((name) => name.startsWith('observer-'))
      .map((name) => join(dir, name));
  } catch {
    return cleaned;
  }
  for (const log of logs) cleanObserverLog(log, cleaned);
  if (record?.cgroup) removeJournaledCgroup(record.cgroup, cleaned);
  for (const scratch of record?.scratch ?? []) {
    if (!existsSync(scratch)) continue;
    rmSync(scratch, { recursive: true, force: true });
    cleaned.removed.push(`scratch directory ${scratch}`);
  }
  rmSync(dir, { recursive: true, force: true });
  return cleaned;
}
