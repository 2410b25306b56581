// A static BusyBox for the container scenario: the host's busybox-static, a cached copy, or Debian's package unpacked without installing it.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isStaticElfImage } from '../vm/elf.ts';
import { BUSYBOX, findTool } from '../vm/tools.ts';
import { no, yes, type Probe } from './probe.ts';
import { untrustedReason } from './trusted-path.ts';

const PACKAGE = 'busybox-static';
/** Root's cache: never under a user's HOME (sudo -E keeps it) nor /tmp, where another user could plant the binary. */
const ROOT_CACHE = '/var/cache/nsconform';

/** The cache directory, made if missing, or why there is none this run can trust. */
export function cacheDir(base: string = defaultCacheBase()): { dir: string } | { reason: string } {
  const dir = join(base, PACKAGE);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    return { reason: `cannot make the cache directory ${dir} (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  const unsafe = untrustedReason(dir, { strict: true });
  return unsafe ? { reason: `the cache directory ${dir} is not safe: ${unsafe}` } : { dir };
}

function defaultCacheBase(): string {
  if (process.geteuid?.() === 0) return ROOT_CACHE;
  return join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? homedir(), '.cache'), 'nsconform');
}

/**
 * The binary's bytes, read from a descriptor opened without following a symlink and checked before reading:
 * a regular file owned by root or this uid that nobody else can write. What the scenario copies into the
 * container is these bytes, so nothing can be swapped between the check and the use.
 */
export function readTrustedBinary(path: string): Buffer | string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    return `${path}: ${(error as NodeJS.ErrnoException).code === 'ELOOP' ? 'is a symbolic link' : ((error as NodeJS.ErrnoException).code ?? 'cannot be opened')}`;
  }
  try {
    const stat = fstatSync(fd);
    const euid = process.geteuid?.() ?? 0;
    if (!stat.isFile()) return `${path} is not a regular file`;
    if (stat.uid !== 0 && stat.uid !== euid) return `${path} belongs to uid ${stat.uid}, neither root nor uid ${euid}`;
    if ((stat.mode & 0o022) !== 0) return `${path} is writable by others than its owner`;
    const bytes = readFileSync(fd);
    return isStaticElfImage(bytes) ? bytes : `${path} is not a static ELF executable`;
  } finally {
    closeSync(fd);
  }
}

/** The host's busybox when it is one this run can trust, else why not. */
function installed(): { path: string } | { reason: string } {
  let path: string;
  try {
    path = findTool(BUSYBOX);
  } catch {
    return { reason: 'not installed' };
  }
  const checked = readTrustedBinary(path);
  // Owned by an id unmapped here (a rootless container on the host's tree), it may be anybody's.
  return typeof checked === 'string' ? { reason: `installed, but not one to trust: ${checked}` } : { path };
}

/**
 * Where a fetch downloads and unpacks: inside the cache directory (private, never /tmp), named for the fetching
 * process, so that what a killed fetch left is found there and removed by the next probe.
 */
export function fetchDir(dir: string): string {
  for (const name of readdirSync(dir)) {
    const pid = /^\.fetch-(\d+)-/.exec(name)?.[1];
    if (pid !== undefined && !existsSync(`/proc/${pid}`)) rmSync(join(dir, name), { recursive: true, force: true });
  }
  return mkdtempSync(join(dir, `.fetch-${process.pid}-`));
}

/** apt-get download + dpkg-deb -x into a private temporary dir, then the checked bytes into the cache; the reason on failure. */
function fetchPackage(dir: string): string | null {
  const work = fetchDir(dir);
  try {
    const download = spawnSync('apt-get', ['download', PACKAGE], { cwd: work, encoding: 'utf8', timeout: 60000 });
    if (download.error || download.status !== 0)
      return `apt-get download ${PACKAGE} failed: ${(download.error?.message ?? download.stderr).trim().split('\n').pop() ?? ''}`;
    const deb = readdirSync(work).find((name) => name.endsWith('.deb'));
    if (!deb) return `apt-get download ${PACKAGE} left no .deb`;
    const unpack = spawnSync('dpkg-deb', ['-x', deb, 'root'], { cwd: work, encoding: 'utf8', timeout: 60000 });
    const binary = join(work, 'root', 'bin', 'busybox');
    if (unpack.error || unpack.status !== 0 || !existsSync(binary)) return `dpkg-deb -x of ${deb} gave no bin/busybox`;
    const bytes = readTrustedBinary(binary);
    if (typeof bytes === 'string') return bytes;
    // Written beside the target, then renamed: a cache entry is whole or absent.
    const target = join(dir, 'busybox');
    writeFileSync(`${target}.partial`, bytes, { mode: 0o755, flag: 'wx' });
    renameSync(`${target}.partial`, target);
    return null;
  } catch (error) {
    return `caching it failed: ${(error as Error).message}`;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function probeBusybox(base?: string): Probe {
  const host = installed();
  if ('path' in host) return yes(host.path);
  const missing = (why: string): Probe =>
    no(`no static busybox: the host's is ${host.reason} and ${why} — apt-get install ${PACKAGE} (owned by root here)`);
  const cache = cacheDir(base);
  if ('reason' in cache) return missing(cache.reason);
  const cached = join(cache.dir, 'busybox');
  if (existsSync(cached) && typeof readTrustedBinary(cached) !== 'string') return yes(cached);
  const failure = fetchPackage(cache.dir);
  const checked = failure === null ? readTrustedBinary(cached) : failure;
  if (typeof checked !== 'string') return yes(cached);
  return missing(checked);
}
