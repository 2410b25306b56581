// --image <URL> --download-image: the one download nsconform makes, and only when asked, into a checked cache; its SHA-256 printed for the vendor's list.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EnvironmentError, UsageError } from '../../errors.ts';
import { untrustedReason } from '../../env/trusted-path.ts';

/** Root's cache is never under a user's HOME (sudo -E keeps it) nor /tmp: root boots what is there. */
export function imageCacheDir(): string {
  if (process.geteuid?.() === 0) return '/var/cache/nsconform/images/downloads';
  return join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? homedir(), '.cache'), 'nsconform', 'images');
}

export async function downloadImage(
  url: string,
  say: (line: string) => void,
  dir: string = imageCacheDir(),
): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--image ${url} is not a valid URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new UsageError(`--image ${url}: only http and https URLs are downloaded`);
  const name = basename(decodeURIComponent(parsed.pathname));
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(name))
    throw new UsageError(`--image ${url}: the URL does not end in a file name`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const unsafe = untrustedReason(dir, { strict: true });
  if (unsafe) throw new EnvironmentError(`the image cache ${dir} is not safe: ${unsafe}`);
  const target = join(dir, name);
  if (existsSync(target)) {
    say(`nsconform vm: ${url} was downloaded before: ${target} (remove it to download again)`);
    return target;
  }
  say(`nsconform vm: downloading ${url} to ${target} (--download-image)`);
  const response = await fetch(url).catch((error: Error) => {
    throw new EnvironmentError(`downloading ${url} failed: ${error.message}`);
  });
  if (!response.ok || !response.body) throw new EnvironmentError(`downloading ${url} failed: HTTP ${response.status}`);
  const partial = `${target}.partial-${process.pid}`;
  const hash = createHash('sha256');
  try {
    const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => hash.update(chunk));
    await pipeline(body, createWriteStream(partial, { mode: 0o644, flags: 'wx' }));
  } catch (error) {
    rmSync(partial, { force: true });
    throw new EnvironmentError(`downloading ${url} failed: ${(error as Error).message}`);
  }
  renameSync(partial, target);
  say(`nsconform vm: ${target}: SHA-256 ${hash.digest('hex')} (compare with the vendor's SHA256SUMS/CHECKSUM file)`);
  return target;
}
