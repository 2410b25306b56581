// One observer's journal, as native/src/journal.c writes it: what it created and has not yet removed or reaped.
import type { IpcKind } from '../host/sysv-ipc.ts';

export interface ObserverLog {
  /** The observer's pid and start time. */
  readonly observer: { pid: number; start: string } | null;
  /** Case process groups not yet reaped: pgid → the leader's start time. */
  readonly groups: Map<number, string>;
  /** SysV objects created and not removed: "kind id" → key. */
  readonly objects: Map<string, { kind: IpcKind; id: number; key: number }>;
  /** Keys the observer announced before creating a queue: one may exist unnamed if it was killed in between. */
  readonly announcedKeys: Set<number>;
  /** POSIX message queues created and not unlinked. */
  readonly queues: Set<string>;
  /** Case cgroups made and not removed. */
  readonly cgroups: Set<string>;
}

const KINDS = new Set(['msg', 'sem', 'shm']);

export function parseObserverLog(text: string): ObserverLog {
  const log: ObserverLog = {
    observer: null,
    groups: new Map(),
    objects: new Map(),
    announcedKeys: new Set(),
    queues: new Set(),
    cgroups: new Set(),
  };
  let observer: ObserverLog['observer'] = null;
  for (const line of text.split('\n')) {
    const [verb = '', a = '', b = ''] = line.split(' ');
    if (verb === 'observer') observer = { pid: Number(a), start: b };
    else if (verb === 'group') log.groups.set(Number(a), b);
    else if (verb === 'reaped') log.groups.delete(Number(a));
    else if (verb === 'msgkey') log.announcedKeys.add(Number(a) >>> 0);
    else if (KINDS.has(verb))
      log.objects.set(`${verb} ${a}`, { kind: verb as IpcKind, id: Number(a), key: Number(b) >>> 0 });
    else if (verb === 'mq') log.queues.add(a);
    else if (verb === 'cgroup') log.cgroups.add(a);
    else if (verb === 'rmcgroup') log.cgroups.delete(a);
    else if (verb === 'rm' && b !== '') {
      if (a === 'mq') log.queues.delete(b);
      else log.objects.delete(`${a} ${b}`);
    }
  }
  return { ...log, observer };
}

/** Every SysV object a journal ever named ("kind id"), and every queue key it announced, removed since or not. */
export interface NamedObjects {
  readonly ids: Set<string>;
  readonly keys: Set<number>;
}

export function addNamedObjects(text: string, into: NamedObjects): NamedObjects {
  for (const line of text.split('\n')) {
    const [verb = '', a = '', b = ''] = line.split(' ');
    if (KINDS.has(verb)) {
      into.ids.add(`${verb} ${a}`);
      if (b !== '' && Number(b) !== 0) into.keys.add(Number(b) >>> 0);
    } else if (verb === 'msgkey') into.keys.add(Number(a) >>> 0);
  }
  return into;
}
