// Debian kernel packages on the host: read their control fields, find or download them, unpack them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.ts';
import { APT_GET, DPKG_DEB, findTool } from './tools.ts';

function run(command: string, args: string[], cwd: string, what: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    const last =
      (result.stderr || result.stdout || '')
        .trim()
        .split('\n')
        .filter((line) => !line.startsWith('W:'))
        .pop() ?? '';
    throw new EnvironmentError(`${what} failed: ${last || result.error?.message || `exit code ${result.status}`}`);
  }
  return result.stdout;
}

function controlField(deb: string, field: string): string {
  return run(findTool(DPKG_DEB), ['-f', deb, field], '/', `dpkg-deb -f ${deb}`).trim();
}

export function readPackageName(deb: string): string {
  return controlField(deb, 'Package');
}

/** The linux-image/-binary/-modules packages a kernel package depends on (a split kernel's image needs its binary and modules). */
export function readKernelDepends(deb: string): string[] {
  return controlField(deb, 'Depends')
    .split(',')
    .flatMap((clause) => clause.split('|').map((alternative) => alternative.trim().split(/[\s(:]/)[0] ?? ''))
    .filter((name) => /^linux-(image|binary|modules)-/.test(name));
}

/** A <name>_<version>_<arch>.deb in one of the directories, newest name last wins. */
export function findPackageFile(name: string, dirs: readonly string[]): string | null {
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    const matches = readdirSync(dir)
      .filter((file) => file.startsWith(`${name}_`) && file.endsWith('.deb'))
      .sort();
    if (matches.length > 0) return join(dir, matches[matches.length - 1] as string);
  }
  return null;
}

/** apt-get download into the cache, from whatever suites this machine's apt lists. */
export function fetchPackage(name: string, cacheDir: string, why: string): string {
  mkdirSync(cacheDir, { recursive: true });
  run(
    findTool(APT_GET),
    ['download', '-q', name],
    cacheDir,
    `${why}: apt-get download ${name} (is it in a suite this machine's apt lists? run "apt-get update" if the lists are old, or put the .deb next to the one you gave)`,
  );
  const file = findPackageFile(name, [cacheDir]);
  if (!file) throw new EnvironmentError(`${why}: apt-get download ${name} left no .deb in ${cacheDir}`);
  return file;
}

export function extractPackage(deb: string, root: string): void {
  mkdirSync(root, { recursive: true });
  run(findTool(DPKG_DEB), ['-x', deb, root], '/', `dpkg-deb -x ${deb}`);
}
