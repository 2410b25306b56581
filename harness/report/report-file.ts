// Writing a report as whoever runs nsconform (often root): never through a symlink or a hard link.
import { closeSync, constants, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { UsageError } from '../errors.ts';

/**
 * O_NOFOLLOW refuses a symlink planted at the path and the fstat check a hard link: through either, root
 * could be made to overwrite /etc/shadow from a shared directory such as /tmp. Truncated only once checked.
 */
export function writeReportFile(path: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new UsageError(`report ${path}: is a symbolic link; not followed — give the real path`);
    throw new UsageError(`report ${path}: cannot be written (${code ?? (error as Error).message})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UsageError(`report ${path}: is not a regular file`);
    if (stat.nlink > 1) throw new UsageError(`report ${path}: has ${stat.nlink} hard links; not writing through them`);
    ftruncateSync(fd, 0);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
