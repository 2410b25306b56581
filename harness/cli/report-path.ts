// Checking report paths before the run, so a bad one costs nothing and leaves nothing behind.
import { accessSync, closeSync, constants, lstatSync, openSync, realpathSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { untrustedReason } from '../env/trusted-path.ts';

function lstatOrNull(path: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** A write of no bytes, without truncating: it fails where the real write would (/dev/full, a read-only mount). */
function probeWrite(option: string, path: string, absolute: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(absolute, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    writeSync(fd, Buffer.alloc(0));
  } catch (error) {
    throw new UsageError(
      `${option} ${path}: cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * A report path must name a file in an existing, writable directory. The default reports/ directory is
 * part of the checkout, so a missing parent means a typo, not something to create. The directory is
 * resolved now, as the runner chose it; the file itself must not be a symlink, which nobody chose.
 */
export function checkReportPath(option: string, path: string): string {
  const given = resolve(path);
  const folder = statSync(dirname(given), { throwIfNoEntry: false });
  if (!folder) throw new UsageError(`${option} ${path}: directory ${dirname(given)} does not exist`);
  if (!folder.isDirectory()) throw new UsageError(`${option} ${path}: ${dirname(given)} is not a directory`);
  const parent = realpathSync(dirname(given));
  const absolute = join(parent, basename(given));
  const target = lstatOrNull(absolute);
  if (target?.isDirectory()) throw new UsageError(`${option} ${path}: is a directory; give a file name`);
  if (target?.isSymbolicLink())
    throw new UsageError(
      `${option} ${path}: is a symbolic link; reports are not written through one — give the real path`,
    );
  // Root's writes are the ones worth redirecting: another user's run could only hurt that user.
  const unsafe = process.geteuid?.() === 0 ? untrustedReason(parent, { strict: false }) : null;
  if (unsafe) throw new UsageError(`${option} ${path}: ${unsafe}; another user could swap the report for a link`);
  try {
    accessSync(target ? absolute : parent, constants.W_OK);
  } catch {
    throw new UsageError(
      `${option} ${path}: ${target ? 'the file' : `directory ${parent}`} is not writable by uid ${process.geteuid?.() ?? '?'}`,
    );
  }
  if (target && !target.isFIFO()) probeWrite(option, path, absolute);
  return absolute;
}
