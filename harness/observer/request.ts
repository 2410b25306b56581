// Requests to the native observer, encoded as the one-line form of native/PROTOCOL.md.
import type { CreationPathName } from '../creation-path.ts';

/** Ids to drop to; nested: they belong to a user namespace the dropping process makes, mapping them onto its own. */
export interface DropIds {
  readonly uid: number;
  readonly gid: number;
  readonly nested?: boolean;
}

export function encodeDrop(drop: DropIds | null): string {
  return drop ? `${drop.uid}:${drop.gid}${drop.nested ? ':nested' : ''}` : '-';
}

export type Op = 'msgget' | 'sethostname' | 'mount-tmpfs' | 'hang';

export interface RunRequest {
  path: CreationPathName;
  cloneFlags: number;
  /** Ids the creator drops to before anything else, or null to keep the observer's. */
  drop: DropIds | null;
  timeoutMs: number;
  scratch: string | null;
  hostname: string | null;
  ops: readonly Op[];
}

function checkToken(name: string, value: string): string {
  if (value === '' || /\s/.test(value))
    throw new Error(`observer request ${name} must be one non-empty word: ${JSON.stringify(value)}`);
  return value;
}

function encodeFields(request: RunRequest): string {
  return [
    `path=${request.path}`,
    `drop=${encodeDrop(request.drop)}`,
    `timeout=${Math.max(1, Math.round(request.timeoutMs))}`,
    `scratch=${request.scratch ? checkToken('scratch', request.scratch) : '-'}`,
    `hostname=${request.hostname ? checkToken('hostname', request.hostname) : '-'}`,
    `ops=${request.ops.length ? request.ops.join(',') : '-'}`,
  ].join(' ');
}

export function hex(flags: number): string {
  return `0x${(flags >>> 0).toString(16)}`;
}

export function encodeRunRequest(id: number, request: RunRequest): string {
  return `run id=${id} flags=${hex(request.cloneFlags)} ${encodeFields(request)}\n`;
}

export function encodeBenchRequest(
  id: number,
  passes: number,
  flagSets: readonly number[],
  request: RunRequest,
): string {
  return `bench id=${id} passes=${passes} flagsets=${flagSets.map(hex).join(',')} ${encodeFields(request)}\n`;
}

export interface ScriptRequest {
  /** Ids the script's first process drops to before its first step, or null to keep the observer's. */
  drop: DropIds | null;
  timeoutMs: number;
  scratch: string | null;
  /** Step lines as harness/script/builder.ts writes them. */
  lines: readonly string[];
}

export function encodeScriptRequest(id: number, request: ScriptRequest): string {
  const head = [
    `script id=${id}`,
    `drop=${encodeDrop(request.drop)}`,
    `timeout=${Math.max(1, Math.round(request.timeoutMs))}`,
    `scratch=${request.scratch ? checkToken('scratch', request.scratch) : '-'}`,
    `steps=${request.lines.length}`,
  ].join(' ');
  return [head, ...request.lines].join('\n') + '\n';
}
