// KCIDB v5 test objects for a report's LAVA cases: written to a file for the lab to submit; nsconform never submits.
import { createHash } from 'node:crypto';
import type { OutcomeStatus } from '../case.ts';
import type { JsonDocument } from '../diff/report-file.ts';
import type { LavaCase } from '../lava/lava-cases.ts';

export const KCIDB_VERSION = { major: 5, minor: 0 } as const;
/** kcidb-io v5's log_excerpt maxLength (a JSON-schema length: characters). */
export const LOG_EXCERPT_MAX = 16384;
export const ORIGIN_PATTERN = /^[a-z0-9_]+$/;
export const ORIGIN_ID_PATTERN = /^[a-z0-9_]+:.*$/;

export type KcidbStatus = 'FAIL' | 'ERROR' | 'MISS' | 'PASS' | 'DONE' | 'SKIP';
/** The harness breaking is ERROR ("the test didn't complete due to a failure in its code"), never FAIL. */
const STATUSES: Record<OutcomeStatus, KcidbStatus> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP', error: 'ERROR' };

export interface KcidbTarget {
  readonly origin: string;
  readonly buildId: string;
}

export interface KcidbTest {
  id: string;
  build_id: string;
  origin: string;
  path: string;
  status: KcidbStatus;
  comment: string;
  start_time?: string;
  duration: number;
  environment: { comment: string; misc: Record<string, string> };
  log_excerpt?: string;
  misc: Record<string, unknown>;
}

/** Characters, not bytes, as the schema counts; the head of the log is where the first failure is. */
function excerpt(log: readonly string[]): string | undefined {
  if (log.length === 0) return undefined;
  const text = `${log.join('\n')}\n`;
  const chars = [...text];
  return chars.length <= LOG_EXCERPT_MAX ? text : `${chars.slice(0, LOG_EXCERPT_MAX - 13).join('')}\n[truncated]\n`;
}

/** What tells this run's tests from another run's of the same build: when it started, and on which kernel and machine. */
function runTag(document: JsonDocument, target: KcidbTarget, source: string): string {
  const env = document.environment ?? {};
  const seed = [
    target.buildId,
    document.started ?? createHash('sha256').update(source).digest('hex'),
    env['kernel.release'],
    env['kernel.version'],
    env.machine,
  ].join('\n');
  return createHash('sha256').update(seed).digest('hex').slice(0, 16);
}

function describe(entry: LavaCase): string {
  const first = entry.members[0];
  if (entry.members.length === 1 || !first) return first?.id ?? entry.name;
  return `matrix › ${first.properties?.flagSet} [${first.properties?.path}, ${first.properties?.mode}]: ${entry.members.length} claims`;
}

function environmentOf(document: JsonDocument): KcidbTest['environment'] {
  const env = document.environment ?? {};
  const misc = Object.fromEntries(
    ['kernel.release', 'kernel.version', 'machine', 'node', 'runner.uid', 'runner.containment'].flatMap((key) =>
      env[key] ? [[key.replace(/\./g, '_'), env[key]]] : [],
    ),
  );
  return { comment: `Linux ${env['kernel.release'] ?? 'unknown'} on ${env.machine ?? 'unknown machine'}`, misc };
}

function testOf(entry: LavaCase, document: JsonDocument, target: KcidbTarget, tag: string): KcidbTest {
  const log = excerpt(entry.log);
  const specIds = [...new Set(entry.members.flatMap((member) => member.specIds ?? []))];
  return {
    id: `${target.origin}:nsconform-${tag}.${entry.set}.${entry.name}`,
    build_id: target.buildId,
    origin: target.origin,
    path: `nsconform.${entry.set}.${entry.name}`,
    status: STATUSES[entry.status],
    comment: describe(entry),
    ...(document.started ? { start_time: document.started } : {}),
    duration: Math.round(entry.durationMs) / 1000,
    environment: environmentOf(document),
    ...(log !== undefined ? { log_excerpt: log } : {}),
    misc: {
      nsconform_status: entry.status,
      claims: entry.members.length,
      spec_ids: specIds,
      ...(entry.members.some((member) => member.flaky) ? { flaky: true } : {}),
    },
  };
}

/** The document: version and tests; ids unique per run, paths "nsconform.<suite>.<case>". */
export function renderKcidb(
  cases: readonly LavaCase[],
  document: JsonDocument,
  target: KcidbTarget,
  source: string,
): string {
  const tag = runTag(document, target, source);
  return `${JSON.stringify({ version: KCIDB_VERSION, tests: cases.map((entry) => testOf(entry, document, target, tag)) }, null, 1)}\n`;
}
