// Writing a finished report as whoever runs nsconform (often root): never through a symlink or a hard link, and a
// file that cannot be written is one clear line, never a stack trace.
import { closeSync, constants, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';

export class ReportWriteError extends Error {}

/**
 * O_NOFOLLOW refuses a symlink planted at the path and the fstat check a hard link: through either, root could
 * be made to overwrite /etc/shadow from a shared directory such as /tmp. A regular file is truncated only once
 * checked; a device or FIFO the runner named (/dev/full, a pipe) is written as it is.
 */
export function writeReportFile(label: string, path: string, text: string): void {
  const fail = (why: string): ReportWriteError =>
    new ReportWriteError(`cannot write the ${label} report ${path}: ${why}`);
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw fail(code === 'ELOOP' ? 'it is a symbolic link, which is not followed' : (code ?? message));
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.nlink > 1) throw fail(`it has ${stat.nlink} hard links, which are not written through`);
    if (stat.isFile()) ftruncateSync(fd, 0);
    const bytes = Buffer.from(text);
    for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done);
  } catch (error) {
    if (error instanceof ReportWriteError) throw error;
    const { code, message } = error as NodeJS.ErrnoException;
    throw fail(code ?? message);
  } finally {
    closeSync(fd);
  }
}
