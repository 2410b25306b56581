// SysV IPC objects of the host's IPC namespace: read from /proc/sysvipc, described for people, removed by id.
import koffi from 'koffi';
import { readProcText } from '../env/host-facts.ts';

export type IpcKind = 'msg' | 'sem' | 'shm';
export const IPC_KINDS: readonly IpcKind[] = ['msg', 'sem', 'shm'];
const NOUN: Record<IpcKind, string> = { msg: 'message queue', sem: 'semaphore set', shm: 'shared memory segment' };

export interface IpcObject {
  readonly kind: IpcKind;
  /** Unsigned, as ipcs prints it; /proc prints keys as signed decimals. */
  readonly key: number;
  readonly id: number;
  readonly mode: number;
  readonly uid: number;
  readonly cuid: number;
}

/** The objects of one kind, by the column names of the file's header line; null when it cannot be read. */
export function readIpcObjects(
  kind: IpcKind,
  text: string | null = readProcText(`/proc/sysvipc/${kind}`),
): IpcObject[] | null {
  if (text === null) return null;
  const [header, ...rows] = text.trim().split('\n');
  const columns = (header ?? '').trim().split(/\s+/);
  const at = (fields: string[], name: string): number => Number(fields[columns.indexOf(name)]);
  return rows
    .map((row) => row.trim().split(/\s+/))
    .filter((fields) => fields.length >= columns.length)
    .map((fields) => ({
      kind,
      key: at(fields, 'key') >>> 0,
      id: Number(fields[1]), // msqid, semid or shmid
      mode: Number.parseInt(fields[columns.indexOf('perms')] ?? '0', 8),
      uid: at(fields, 'uid'),
      cuid: at(fields, 'cuid'),
    }));
}

export function hexKey(key: number): string {
  return `0x${(key >>> 0).toString(16).padStart(8, '0')}`;
}

/** "SysV message queue key 0x6e0011a2 id 4194367 (uid 0, mode 0600)". */
export function describeIpcObject(object: IpcObject): string {
  return `SysV ${NOUN[object.kind]} key ${hexKey(object.key)} id ${object.id} (uid ${object.uid}, mode ${(object.mode & 0o777).toString(8).padStart(4, '0')})`;
}

const IPC_RMID = 0;
let libc: ReturnType<typeof koffi.load> | null = null;
let calls: {
  msgctl: (id: number, cmd: number, buf: null) => number;
  semctl: (id: number, num: number, cmd: number) => number;
  shmctl: (id: number, cmd: number, buf: null) => number;
  mqUnlink: (name: string) => number;
} | null = null;

function ipcCalls(): NonNullable<typeof calls> {
  libc ??= koffi.load('libc.so.6');
  calls ??= {
    msgctl: libc.func('int msgctl(int id, int cmd, void *buf)') as never,
    semctl: libc.func('int semctl(int id, int num, int cmd)') as never,
    shmctl: libc.func('int shmctl(int id, int cmd, void *buf)') as never,
    mqUnlink: libc.func('int mq_unlink(const char *name)') as never,
  };
  return calls;
}

/** IPC_RMID of one object; true when it is gone now. */
export function removeIpcObject(kind: IpcKind, id: number): boolean {
  const c = ipcCalls();
  const result =
    kind === 'msg'
      ? c.msgctl(id, IPC_RMID, null)
      : kind === 'sem'
        ? c.semctl(id, 0, IPC_RMID)
        : c.shmctl(id, IPC_RMID, null);
  return result === 0;
}

export function unlinkMessageQueue(name: string): boolean {
  return ipcCalls().mqUnlink(name.startsWith('/') ? name : `/${name}`) === 0;
}
