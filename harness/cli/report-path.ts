// Checking report paths before the run, so a bad one costs nothing and leaves nothing behind.
import { accessSync, closeSync, constants, openSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.ts';

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** A write of no bytes, without truncating: it fails where the real write would (/dev/full, a read-only mount). */
function probeWrite(option: string, path: string, absolute: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(absolute, constants.O_WRONLY | constants.O_NONBLOCK);
    writeSync(fd, Buffer.alloc(0));
  } catch (error) {
    throw new UsageError(`${option} ${path}: cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * A report path must name a file in an existing, writable directory. The default reports/ directory is
 * part of the checkout, so a missing parent means a typo, not something to create.
 */
export function checkReportPath(option: string, path: string): string {
  const absolute = resolve(path);
  const target = statOrNull(absolute);
  if (target?.isDirectory()) throw new UsageError(`${option} ${path}: is a directory; give a file name`);
  const parent = dirname(absolute);
  const folder = statOrNull(parent);
  if (!folder) throw new UsageError(`${option} ${path}: directory ${parent} does not exist`);
  if (!folder.isDirectory()) throw new UsageError(`${option} ${path}: ${parent} is not a directory`);
  try {
    accessSync(target ? absolute : parent, constants.W_OK);
  } catch {
    throw new UsageError(`${option} ${path}: ${target ? 'the file' : `directory ${parent}`} is not writable by uid ${process.geteuid?.() ?? '?'}`);
  }
  if (target && !target.isFIFO()) probeWrite(option, path, absolute);
  return absolute;
}
