// The BusyBox cache a root run executes from: only in directories nobody else can write, read from a checked descriptor.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { cacheDir, fetchDir, probeBusybox, readTrustedBinary } from '../harness/env/busybox.ts';

const IS_ROOT = process.geteuid?.() === 0;
/** An ELF64 header with no program headers: static as far as isStaticElfImage can tell. */
const FAKE_STATIC_ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(57)]);

/** A directory whose every ancestor is root's and not writable by others (the checkout's, not /tmp). */
function trustedScratch(): string {
  const dir = mkdtempSync(join(new URL('..', import.meta.url).pathname, '.busybox-test-'));
  chmodSync(dir, 0o700);
  return dir;
}

test('the cache is never under a world-writable directory such as /tmp, where the old fallback put it', (t) => {
  const base = mkdtempSync(join(tmpdir(), 'nsconform-busybox-test-'));
  try {
    const cache = cacheDir(base);
    t.true('reason' in cache);
    t.regex('reason' in cache ? cache.reason : '', /\/tmp is writable by others/);
    const probe = probeBusybox(base);
    t.false(probe.state === 'yes' && probe.detail.startsWith(base), 'a cache under /tmp was used');
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('a symlink anywhere in the cache path is refused, and a planted binary behind it is never used', (t) => {
  const dir = trustedScratch();
  try {
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(join(elsewhere, 'busybox-static'), { recursive: true });
    writeFileSync(join(elsewhere, 'busybox-static', 'busybox'), FAKE_STATIC_ELF, { mode: 0o755 });
    symlinkSync(elsewhere, join(dir, 'link'));
    const cache = cacheDir(join(dir, 'link'));
    t.regex('reason' in cache ? cache.reason : '', /link is a symbolic link/);
    const probe = probeBusybox(join(dir, 'link'));
    t.false(probe.state === 'yes' && probe.detail.includes(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a cache directory of root or the runner, writable by nobody else, is accepted', (t) => {
  const dir = trustedScratch();
  try {
    const cache = cacheDir(dir);
    t.deepEqual(cache, { dir: join(dir, 'busybox-static') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the binary is read from a descriptor that refuses a symlink, another owner, a writable mode or a non-ELF', (t) => {
  const dir = trustedScratch();
  try {
    const good = join(dir, 'busybox');
    writeFileSync(good, FAKE_STATIC_ELF, { mode: 0o755 });
    t.deepEqual(readTrustedBinary(good), FAKE_STATIC_ELF);
    symlinkSync(good, join(dir, 'link'));
    t.regex(String(readTrustedBinary(join(dir, 'link'))), /is a symbolic link/);
    writeFileSync(join(dir, 'writable'), FAKE_STATIC_ELF, { mode: 0o755 });
    chmodSync(join(dir, 'writable'), 0o777);
    t.regex(String(readTrustedBinary(join(dir, 'writable'))), /writable by others/);
    writeFileSync(join(dir, 'script'), '#!/bin/sh\n', { mode: 0o755 });
    t.regex(String(readTrustedBinary(join(dir, 'script'))), /not a static ELF/);
    if (IS_ROOT) {
      writeFileSync(join(dir, 'theirs'), FAKE_STATIC_ELF, { mode: 0o755 });
      chownSync(join(dir, 'theirs'), 1000, 1000);
      t.regex(String(readTrustedBinary(join(dir, 'theirs'))), /belongs to uid 1000/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a fetch downloads inside the cache directory, not /tmp, and a killed fetch's leftovers go with the next one", (t) => {
  const dir = trustedScratch();
  try {
    const dead = spawnSync('/bin/true').pid ?? 999999998;
    const killed = join(dir, `.fetch-${dead}-abc`);
    const live = join(dir, `.fetch-${process.pid}-def`);
    for (const path of [killed, live]) mkdirSync(join(path, 'root'), { recursive: true });
    const work = fetchDir(dir);
    t.true(work.startsWith(join(dir, `.fetch-${process.pid}-`)), work);
    t.false(existsSync(killed), "a dead process's download dir is still there");
    t.true(existsSync(live), "a live process's download dir was removed");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
