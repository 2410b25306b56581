// The records the native observer writes (native/PROTOCOL.md), as types and a checked parse.

export interface ErrnoResult { errno: string }
/** A file's text, or the errno that kept it from being read. */
export type Text = string | ErrnoResult;

export interface NsEntry { ino: number; dev: number; link: string }

export interface Interface { name: string; flags: number }

/** An op's result; `skipped` when the observer declined it (host safety: no sethostname without CLONE_NEWUTS). */
export interface OpResult { ok?: true; errno?: string; value?: number; text?: string; skipped?: string }

export interface Facts {
  pid: number;
  ppid: number;
  uid: [number, number, number];
  gid: [number, number, number];
  caps: { inh: string; prm: string; eff: string; bnd: string; amb: string };
  ns: Record<string, NsEntry | ErrnoResult>;
  nspid: number[];
  hostname: string;
  domainname: string;
  interfaces: Interface[];
  cgroup: Text;
  timensOffsets: Text;
  uidMap: Text;
  gidMap: Text;
  setgroups: Text;
  scratchDev?: number;
}

export interface ChildFacts extends Facts {
  ops: Record<string, OpResult>;
}

export interface Outside {
  nspid: number[];
  exitSignal: number;
  hostname: string;
  scratchDev?: number;
}

export type Creation = { ok: true; childPid: number } | { ok: false; errno: string };
export type Exit = { code: number } | { signal: string };

export interface ObservedRecord {
  id: number;
  outcome: 'observed';
  durationNs: number;
  parent: Facts;
  creation: Creation;
  child: ChildFacts | null;
  outside: Outside | null;
  exit: Exit | null;
}

export interface TimeoutRecord { id: number; outcome: 'timeout'; durationNs: number; reason?: string }
export interface FailedRecord { id: number; outcome: 'failed'; reason: string; durationNs?: number }
export type RunRecord = ObservedRecord | TimeoutRecord | FailedRecord;

/** One step's report: label, process, result (>= 0 or -1 with e), and the op's own fields. */
export interface StepRecord {
  l: string;
  p: string;
  r: number;
  e?: string;
  /** Set when the host guard refused the step: the script would have touched the host. */
  guard?: string;
  [field: string]: unknown;
}

export interface ScriptRecord {
  id: number;
  outcome: 'observed' | 'timeout' | 'failed';
  durationNs: number;
  reason?: string;
  steps: StepRecord[];
}

export interface BenchRecord { id: number; bench: { cases: number; elapsedNs: number; failed: number } }

export class ProtocolError extends Error {}

export function isErrno(value: unknown): value is ErrnoResult {
  return typeof value === 'object' && value !== null && typeof (value as ErrnoResult).errno === 'string';
}

/** Parses one stdout line; shape errors become ProtocolError so the case reports an error, not a crash. */
export function parseRecordLine(line: string): RunRecord | BenchRecord | ScriptRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (cause) {
    throw new ProtocolError(`observer wrote a line that is not JSON: ${line.slice(0, 200)}`, { cause });
  }
  if (typeof value !== 'object' || value === null || typeof (value as { id?: unknown }).id !== 'number') {
    throw new ProtocolError(`observer record has no numeric id: ${line.slice(0, 200)}`);
  }
  const record = value as Record<string, unknown>;
  if ('bench' in record) return record as unknown as BenchRecord;
  if ('steps' in record) {
    if (!Array.isArray(record.steps)) throw new ProtocolError(`script record ${String(record.id)} has no step list`);
    return record as unknown as ScriptRecord;
  }
  if (record.outcome === 'observed') {
    for (const field of ['parent', 'creation'] as const) {
      if (typeof record[field] !== 'object' || record[field] === null) {
        throw new ProtocolError(`observed record ${String(record.id)} lacks "${field}"`);
      }
    }
    return record as unknown as ObservedRecord;
  }
  if (record.outcome === 'timeout' || record.outcome === 'failed') return record as unknown as RunRecord;
  throw new ProtocolError(`observer record ${String(record.id)} has unknown outcome ${JSON.stringify(record.outcome)}`);
}

/** The text, or a placeholder naming the errno, for messages. */
export function describeText(text: Text): string {
  return typeof text === 'string' ? JSON.stringify(text) : `(unreadable: ${text.errno})`;
}
