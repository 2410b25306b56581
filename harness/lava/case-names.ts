// LAVA case names from a case's stable key: [A-Za-z0-9_-] only (no dots, so KCIDB paths keep their levels), at most 100 characters.
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.ts';
import type { JsonCase } from '../diff/report-file.ts';

export const MAX_NAME_LENGTH = 100;

/** LAVA drops a case name with a space and chokes on "="; SQUAD puts names in URLs. "+" in flag sets becomes "-". */
function part(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '-');
}

/** A name over the limit keeps its start and ends in a hash of the whole, so it stays unique and stable. */
function bounded(name: string): string {
  if (name.length <= MAX_NAME_LENGTH) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 10);
  return `${name.slice(0, MAX_NAME_LENGTH - hash.length - 1)}-${hash}`;
}

function propertyOf(entry: JsonCase, name: string): string {
  const value = entry.properties?.[name];
  if (!value)
    throw new UsageError(
      `case ${JSON.stringify(entry.id ?? entry.name)} has no ${name} property: the report comes from an nsconform too old for LAVA names; run the suite again`,
    );
  return value;
}

/** The matrix cell a matrix case belongs to: flag set × path × mode. */
export function cellName(entry: JsonCase): string {
  return bounded(
    [propertyOf(entry, 'flagSet'), propertyOf(entry, 'path'), propertyOf(entry, 'mode')].map(part).join('_'),
  );
}

/**
 * One case: a matrix claim is its cell and claim key; any other case is its claim key and the mode it ran
 * in (root, unprivileged, or "harness" for claims the Node process checks itself), unique within its suite.
 */
export function caseName(entry: JsonCase): string {
  const key = propertyOf(entry, 'key');
  if (entry.suite === 'matrix') return bounded(`${cellName(entry)}_${part(key)}`);
  const mode = entry.properties?.mode ?? entry.properties?.runner;
  return bounded([key, ...(mode ? [mode] : [])].map(part).join('_'));
}

/** Test set names follow the same rule: a suite's name. */
export function setName(entry: JsonCase): string {
  return part(entry.suite ?? entry.classname.split('.')[0] ?? 'nsconform');
}
