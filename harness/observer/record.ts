// The records the native observer writes (native/PROTOCOL.md), as types and a checked parse.

export interface ErrnoResult {
  errno: string;
}
/** A file's text, or the errno that kept it from being read. */
export type Text = string | ErrnoResult;

export interface NsEntry {
  ino: number;
  dev: number;
  link: string;
}

export interface Interface {
  name: string;
  flags: number;
}

/** An op's result; `skipped` when the observer declined it (host safety: no sethostname without CLONE_NEWUTS). */
export interface OpResult {
  ok?: true;
  errno?: string;
  value?: number;
  text?: string;
  skipped?: string;
}

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

export interface TimeoutRecord {
  id: number;
  outcome: 'timeout';
  durationNs: number;
  reason?: string;
}
/** `truncated`: the observer cut the record short (native/PROTOCOL.md "Truncated records"). */
export interface FailedRecord {
  id: number;
  outcome: 'failed';
  reason: string;
  durationNs?: number;
  truncated?: true;
}
export type RunRecord = ObservedRecord | TimeoutRecord | FailedRecord;

/** One step's report: label, process, result (>= 0 or -1 with e), and the op's own fields. */
export interface StepRecord {
  l: string;
  p: string;
  r: number;
  e?: string;
  /** Set when the host guard refused the step: the script would have touched the host. */
  guard?: string;
  /** Set when the step's fields did not fit its record: only l, p, r and e are left. */
  overflow?: true;
  [field: string]: unknown;
}

export interface ScriptRecord {
  id: number;
  outcome: 'observed' | 'timeout' | 'failed';
  durationNs: number;
  reason?: string;
  /** Steps were dropped: parseRecordLine makes such a record failed, so it is never judged. */
  truncated?: true;
  steps: StepRecord[];
}

export interface BenchRecord {
  id: number;
  bench: { cases: number; elapsedNs: number; failed: number };
}

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
    return failTruncated(record as unknown as ScriptRecord);
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

/**
 * A record the observer cut short — steps dropped, or a step whose fields did not fit — shows less than happened:
 * it becomes a failed record (an error outcome), so no check is ever judged on what is missing.
 */
function failTruncated(record: ScriptRecord): ScriptRecord {
  const cut = record.steps.filter((step) => step.overflow === true).map((step) => step.l);
  if (record.truncated !== true && cut.length === 0) return record;
  const what =
    record.truncated === true
      ? `only the first ${record.steps.length} steps were kept (the rest did not fit the observer's buffer, or a process wrote other bytes to the step pipe)`
      : `the fields of step ${cut.join(', ')} did not fit a step record`;
  const before =
    record.outcome === 'observed' ? '' : ` (it also ended ${record.outcome}: ${record.reason ?? 'no reason given'})`;
  return { ...record, outcome: 'failed', reason: `observer record truncated: ${what}; not judged${before}` };
}

/** The text, or a placeholder naming the errno, for messages. */
export function describeText(text: Text): string {
  return typeof text === 'string' ? JSON.stringify(text) : `(unreadable: ${text.errno})`;
}
