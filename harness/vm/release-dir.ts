// The reports directory for a guest kernel, named after its release string, which comes from the kernel image.
import { lstatSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.ts';

/** The release as one safe path component: no '/', no control characters, not '.', '..' or a hidden name. */
export function releaseDirName(release: string): string {
  const name = release
    .replace(/[^A-Za-z0-9._+~-]/g, '_')
    .replace(/^\.+|\.{2,}/g, (dots) => '_'.repeat(dots.length))
    .slice(0, 128);
  return name === '' ? '_' : name;
}

/** reports/<release>, made if missing; a symlink there would send root's writes elsewhere, so it is refused. */
export function makeReleaseDir(reportsDir: string, release: string): string {
  const dir = join(reportsDir, releaseDirName(release));
  mkdirSync(dir, { recursive: true });
  if (!lstatSync(dir).isDirectory())
    throw new EnvironmentError(
      `${dir} is a symbolic link or not a directory; remove it to let nsconform vm write its reports there`,
    );
  return dir;
}
