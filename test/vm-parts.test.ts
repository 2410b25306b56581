// The pieces of `nsconform vm` that need no VM: cpio format, module dependencies, bzImage header, /init, ELF linkage.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';
import { UsageError } from '../harness/errors.ts';
import { writeCpio } from '../harness/vm/cpio.ts';
import { isStaticElf } from '../harness/vm/elf.ts';
import { GUEST_UP, writeGuestInit } from '../harness/vm/guest-init.ts';
import { readImageRelease, resolveKernel } from '../harness/vm/kernel-source.ts';
import { readDependencies, resolveModules } from '../harness/vm/modules.ts';

test('cpio newc: headers, 4-byte alignment, device nodes and the trailer', (t) => {
  const archive = writeCpio([
    { kind: 'dir', path: '/bin' },
    { kind: 'file', path: 'init', data: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
    { kind: 'chardev', path: 'dev/console', major: 5, minor: 1 },
  ]);
  t.is(archive.length % 4, 0);
  const text = archive.toString('latin1');
  t.is(text.slice(0, 6), '070701');
  const init = text.indexOf('init\0');
  const header = text.slice(init - 110, init);
  t.is(header.slice(14, 22), (0o100755).toString(16).padStart(8, '0'), 'mode of a regular 0755 file');
  t.is(header.slice(54, 62), '0000000a', 'file size');
  const console_ = text.slice(text.indexOf('dev/console\0') - 110);
  t.is(console_.slice(78, 86), '00000005', 'rdev major');
  t.is(console_.slice(86, 94), '00000001', 'rdev minor');
  t.true(text.includes('TRAILER!!!\0'));
});

test('module dependencies come from .modinfo and load first; missing modules are built in', async (t) => {
  await withDir(
    async ({ path }) => {
      mkdirSync(join(path, 'kernel', 'fs'), { recursive: true });
      const module = (depends: string) =>
        Buffer.from(`\x7fELF...\0license=GPL\0depends=${depends}\0name=x\0`, 'latin1');
      writeFileSync(join(path, 'kernel', 'fs', '9p.ko'), module('9pnet,netfs,fscache'));
      writeFileSync(join(path, 'kernel', 'fs', '9pnet.ko'), module(''));
      writeFileSync(join(path, 'kernel', 'fs', 'netfs.ko'), module(''));
      writeFileSync(join(path, 'kernel', 'fs', 'fscache.ko'), module('netfs'));
      t.deepEqual(readDependencies(module('a,b-c')), ['a', 'b_c']);
      t.deepEqual(
        resolveModules(path, ['9p', 'virtio_pci']).map((entry) => entry.name),
        ['9pnet', 'netfs', 'fscache', '9p'],
      );
      await Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});

test('the release is read from a bzImage header; other files are refused with one line', async (t) => {
  await withDir(
    async ({ path }) => {
      const image = Buffer.alloc(0x600);
      image.write('HdrS', 0x202, 'latin1');
      image.writeUInt16LE(0x300, 0x20e);
      image.write('6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP', 0x500, 'latin1');
      writeFileSync(join(path, 'vmlinuz'), image);
      t.is(readImageRelease(join(path, 'vmlinuz')), '6.1.0-56-amd64');
      writeFileSync(join(path, 'notes.txt'), 'hello');
      t.throws(() => resolveKernel(join(path, 'notes.txt'), path, path), {
        instanceOf: UsageError,
        message: /not a bzImage/,
      });
      t.throws(() => resolveKernel('no-such-kernel', path, path), {
        instanceOf: UsageError,
        message: /no such file, and not a Debian kernel package name/,
      });
      await Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});

test('/init loads the modules, switches root to the host tree, runs both privilege modes and powers off', (t) => {
  const init = writeGuestInit({
    modules: ['9pnet.ko', '9p.ko'],
    share: '9p',
    projectDir: '/work/main',
    outDir: '/work/main/reports/6.1.0-56-amd64',
    entry: 'bin/nsconform.js',
    runArgs: ['--only', 'matrix › none › *'],
    userRunArgs: ['--mode', 'unprivileged'],
    sysctls: [],
    properties: {},
  });
  t.regex(init, /^#!\/bin\/busybox sh\n/);
  t.regex(init, /for module in 9pnet\.ko 9p\.ko; do/);
  t.true(init.includes(GUEST_UP));
  t.regex(init, /exec switch_root \/host \/bin\/sh \/run\/nsconform\/guest\.sh\n$/);
  t.notRegex(init, /mount -t tmpfs tmpfs \/host\/tmp/, 'the checkout may live under /tmp');
  t.regex(init, /node 'bin\/nsconform\.js' --junit \/run\/nsconform\/root\.junit\.xml .*'matrix › none › \*'/);
  t.regex(
    init,
    /setpriv --reuid=65534 .*node 'bin\/nsconform\.js' --junit \/run\/nsconform\/user\.junit\.xml .*'--mode' 'unprivileged'/,
  );
  t.regex(init, /echo o > \/proc\/sysrq-trigger/);
  t.notRegex(init, /chroot/, 'a chrooted caller cannot create user namespaces (CLONE-05)');
});

test('static and dynamic executables are told apart by PT_INTERP', (t) => {
  t.false(isStaticElf(process.execPath));
});

test('a guest that failed leaves a JUnit file with one error and the console tail', async (t) => {
  const { writeGuestReport } = await import('../harness/vm/guest-failure.ts');
  const { readFileSync } = await import('node:fs');
  await withDir(
    async ({ path }) => {
      writeFileSync(
        join(path, 'console.log'),
        'booting\n[   12.5] Kernel panic - not syncing: Attempted to kill init!\n',
      );
      const file = writeGuestReport(path, {
        release: '6.1.0-56-amd64',
        seconds: 12,
        properties: {},
        error: 'the guest did not finish within 12 s and was killed',
        health: null,
      });
      const xml = readFileSync(file, 'utf8');
      t.regex(xml, /<testsuite name="vm" tests="2" failures="0" errors="1" skipped="1"/);
      t.regex(xml, /Kernel panic - not syncing/);
      t.regex(xml, /<error message="the guest did not finish within 12 s and was killed" type="GuestFailed">/);
      await Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});
