// A static BusyBox for the container scenario: the host's busybox-static, a cached copy, or Debian's package unpacked without installing it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dirSync } from 'tmp-promise';
import { isStaticElf } from '../vm/elf.ts';
import { BUSYBOX, findTool } from '../vm/tools.ts';
import { no, yes, type Probe } from './probe.ts';

const PACKAGE = 'busybox-static';

/** A directory only this uid can write, so nobody else can plant the binary that later runs as root in a container. */
function privateDir(path: string): boolean {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    const stat = statSync(path);
    return stat.uid === process.getuid?.() && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** The user's cache dir, or a private one under the temporary dir when HOME is not ours (e.g. setpriv keeps root's HOME). */
function cacheFile(): string {
  const base = process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? homedir(), '.cache');
  const home = join(base, 'nsconform', PACKAGE);
  if (privateDir(home)) return join(home, 'busybox');
  return join(tmpdir(), `nsconform-${process.getuid?.() ?? 'user'}`, PACKAGE, 'busybox');
}

function installed(): string | null {
  try {
    const path = findTool(BUSYBOX);
    return isStaticElf(path) ? path : null;
  } catch {
    return null;
  }
}

/** apt-get download + dpkg-deb -x into a temporary dir, then the binary into the cache; the reason on failure. */
function fetchPackage(target: string): string | null {
  const work = dirSync({ prefix: 'nsconform-busybox-', unsafeCleanup: true });
  try {
    const download = spawnSync('apt-get', ['download', PACKAGE], { cwd: work.name, encoding: 'utf8', timeout: 60000 });
    if (download.error || download.status !== 0) return `apt-get download ${PACKAGE} failed: ${(download.error?.message ?? download.stderr).trim().split('\n').pop() ?? ''}`;
    const deb = readdirSync(work.name).find((name) => name.endsWith('.deb'));
    if (!deb) return `apt-get download ${PACKAGE} left no .deb`;
    const unpack = spawnSync('dpkg-deb', ['-x', deb, 'root'], { cwd: work.name, encoding: 'utf8', timeout: 60000 });
    const binary = join(work.name, 'root', 'bin', 'busybox');
    if (unpack.error || unpack.status !== 0 || !existsSync(binary)) return `dpkg-deb -x of ${deb} gave no bin/busybox`;
    if (!privateDir(join(target, '..'))) return `no private cache directory for it (${join(target, '..')})`;
    // Copy beside the target, then rename: a cache entry is whole or absent.
    copyFileSync(binary, `${target}.partial`);
    renameSync(`${target}.partial`, target);
    return null;
  } finally {
    work.removeCallback();
  }
}

export function probeBusybox(): Probe {
  const fromPath = installed();
  if (fromPath) return yes(fromPath);
  const cached = cacheFile();
  if (existsSync(cached) && privateDir(join(cached, '..')) && isStaticElf(cached)) return yes(cached);
  const failure = fetchPackage(cached);
  if (failure === null && isStaticElf(cached)) return yes(cached);
  return no(`no static busybox: not installed (apt-get install ${PACKAGE}) and ${failure ?? 'the unpacked binary is not static'}`);
}
