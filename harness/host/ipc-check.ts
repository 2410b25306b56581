// The host check's SysV IPC part: only what this run could have changed, so runs side by side never blame each other.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addNamedObjects, type NamedObjects } from '../run/observer-log.ts';
import { listRunDirs } from '../run/journal.ts';
import { describeIpcObject, IPC_KINDS, readIpcObjects, type IpcObject } from './sysv-ipc.ts';

export interface IpcSnapshot {
  readonly objects: readonly IpcObject[];
  /** What other nsconform runs' journals named when the snapshot was taken (a run may end before ours). */
  readonly others: NamedObjects;
}

function noneNamed(): NamedObjects {
  return { ids: new Set(), keys: new Set() };
}

/** Everything the observers' journals in these run directories ever named. */
export function namedInJournals(dirs: readonly string[], into: NamedObjects = noneNamed()): NamedObjects {
  for (const dir of dirs) {
    let logs: string[];
    try {
      logs = readdirSync(dir).filter((name) => name.startsWith('observer-'));
    } catch {
      continue;
    }
    for (const log of logs) {
      try {
        addNamedObjects(readFileSync(join(dir, log), 'utf8'), into);
      } catch {
        // the run ended and took its journal with it
      }
    }
  }
  return into;
}

function readAll(): IpcObject[] {
  return IPC_KINDS.flatMap((kind) => readIpcObjects(kind) ?? []);
}

export function takeIpcSnapshot(exceptDir: string | null = null): IpcSnapshot {
  const objects = readAll();
  return { objects, others: namedInJournals(listRunDirs().filter((dir) => dir !== exceptDir)) };
}

const idOf = (object: IpcObject): string => `${object.kind} ${object.id}`;
const isNamed = (named: NamedObjects, object: IpcObject): boolean =>
  named.ids.has(idOf(object)) || (object.kind === 'msg' && named.keys.has(object.key));

export interface IpcJudgement {
  /** This run's journals: what it created. */
  readonly own: NamedObjects;
  /** Other runs' journals, at the start and now. */
  readonly others: NamedObjects;
  /** The uids this run's processes had: an object another uid created cannot be this run's. */
  readonly uids: ReadonlySet<number>;
}

/**
 * What changed that this run could have changed: an object of its own journal still there (a leak); an
 * object that appeared, created by one of its uids and named by no other run; an object that went and no
 * other run named (root can remove anyone's).
 */
export function judgeIpcChanges(
  before: readonly IpcObject[],
  after: readonly IpcObject[],
  judgement: IpcJudgement,
): string[] {
  const beforeIds = new Set(before.map(idOf));
  const afterIds = new Set(after.map(idOf));
  const changes: string[] = [];
  for (const object of after) {
    if (beforeIds.has(idOf(object))) continue;
    if (isNamed(judgement.own, object))
      changes.push(`${describeIpcObject(object)} was created by this run and is still there`);
    else if (!isNamed(judgement.others, object) && judgement.uids.has(object.cuid))
      changes.push(`${describeIpcObject(object)} appeared during the run, created by uid ${object.cuid}`);
  }
  // Without root, only an object of one's own uid can be removed.
  const couldRemove = (object: IpcObject): boolean =>
    judgement.uids.has(0) || judgement.uids.has(object.uid) || judgement.uids.has(object.cuid);
  for (const object of before) {
    if (!afterIds.has(idOf(object)) && !isNamed(judgement.others, object) && couldRemove(object))
      changes.push(`${describeIpcObject(object)} was removed during the run`);
  }
  return changes;
}

/**
 * The check at the end of a run. Another run journals an object just after creating it: when something
 * unexplained appeared, the journals are read once more a moment later before it is blamed on this run.
 */
export async function checkIpcAfterRun(
  before: IpcSnapshot,
  ownDir: string,
  uids: ReadonlySet<number>,
): Promise<string[]> {
  const own = namedInJournals([ownDir]);
  const others = (): NamedObjects =>
    namedInJournals(
      listRunDirs().filter((dir) => dir !== ownDir),
      { ids: new Set(before.others.ids), keys: new Set(before.others.keys) },
    );
  const changes = judgeIpcChanges(before.objects, readAll(), { own, others: others(), uids });
  if (changes.length === 0) return changes;
  await new Promise((resolve) => setTimeout(resolve, 200));
  return judgeIpcChanges(before.objects, readAll(), { own, others: others(), uids });
}
