// Kernels as Debian ships them (split packages, merged /usr, compressed modules, no 9p), guest settings and guest health, without booting anything.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import test from 'ava';
import { withDir } from 'tmp-promise';
import { parseOptions } from '../harness/cli/args.ts';
import { EnvironmentError, UsageError } from '../harness/errors.ts';
import { judgeHealth } from '../harness/vm/guest-health.ts';
import { writeGuestInit } from '../harness/vm/guest-init.ts';
import { readGuestProperties } from '../harness/vm/guest-properties.ts';
import { describeSettings, parseSysctl } from '../harness/vm/guest-settings.ts';
import { resolveKernel } from '../harness/vm/kernel-source.ts';
import { readModuleFile } from '../harness/vm/module-file.ts';
import { ModuleTree } from '../harness/vm/modules.ts';
import { chooseShare } from '../harness/vm/share.ts';

const hasTool = (command: string): boolean => spawnSync(command, ['--version']).status === 0;

function fakeImage(release: string): Buffer {
  const image = Buffer.alloc(0x600);
  image.write('HdrS', 0x202, 'latin1');
  image.writeUInt16LE(0x300, 0x20e);
  image.write(`${release} (test) #1 SMP`, 0x500, 'latin1');
  return image;
}

const fakeModule = (depends: string): Buffer =>
  Buffer.from(`\x7fELF...\0license=GPL\0depends=${depends}\0name=x\0`, 'latin1');

/** A binary package built with dpkg-deb -b from a map of paths to contents. */
function buildDeb(dir: string, name: string, depends: string, files: Record<string, Buffer>): string {
  const root = join(dir, `${name}.src`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN', 'control'),
    `Package: ${name}\nVersion: 1\nArchitecture: amd64\nMaintainer: test <t@example.org>\nDescription: test\n${depends ? `Depends: ${depends}\n` : ''}`,
  );
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), data);
  }
  const deb = join(dir, `${name}_1_amd64.deb`);
  const built = spawnSync('dpkg-deb', ['-b', '--root-owner-group', root, deb], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(built.stderr);
  return deb;
}

const withTmp = (body: (path: string) => void) =>
  withDir(
    async ({ path }) => {
      body(path);
      await Promise.resolve();
    },
    { unsafeCleanup: true },
  );

test('a split kernel: the image package pulls in linux-binary (vmlinuz under usr/lib/modules) and linux-modules from beside it', async (t) => {
  if (!hasTool('dpkg-deb')) return t.pass('dpkg-deb is not installed');
  await withTmp((path) => {
    const release = '9.9.9+test-amd64';
    const debs = join(path, 'debs');
    mkdirSync(debs);
    const image = buildDeb(
      debs,
      `linux-image-${release}`,
      `linux-binary-${release} (= 1), linux-modules-${release} (= 1), dracut | initramfs-tools`,
      {},
    );
    buildDeb(debs, `linux-binary-${release}`, `linux-base-${release} (= 1)`, {
      [`usr/lib/modules/${release}/vmlinuz`]: fakeImage(release),
    });
    buildDeb(debs, `linux-modules-${release}`, 'kmod', {
      [`usr/lib/modules/${release}/kernel/fs/9p/9p.ko.gz`]: gzipSync(fakeModule('')),
      [`usr/lib/modules/${release}/modules.builtin`]: Buffer.from('kernel/fs/ext4/ext4.ko\n'),
    });
    const kernel = resolveKernel(image, join(path, 'work1'), join(path, 'cache'));
    t.is(kernel.release, release);
    t.true(kernel.image.endsWith(`usr/lib/modules/${release}/vmlinuz`));
    t.true(kernel.modulesDir?.endsWith(`usr/lib/modules/${release}`));
    const binaryAlone = resolveKernel(
      join(debs, `linux-binary-${release}_1_amd64.deb`),
      join(path, 'work2'),
      join(path, 'cache'),
    );
    t.truthy(binaryAlone.modulesDir, 'given the binary package alone, its linux-modules sibling is found');
    const empty = buildDeb(path, 'linux-image-0.0.0-empty', '', {});
    t.throws(() => resolveKernel(empty, join(path, 'work3'), join(path, 'cache')), {
      instanceOf: UsageError,
      message: /hold no kernel image \(boot\/vmlinuz-\* or usr\/lib\/modules\/\*\/vmlinuz\)/,
    });
  });
});

test('modules come uncompressed from .ko, .ko.gz, .ko.xz and .ko.zst; modules.builtin tells built in from absent', async (t) => {
  await withTmp((path) => {
    const dir = join(path, 'kernel');
    mkdirSync(dir);
    writeFileSync(join(dir, '9pnet.ko'), fakeModule(''));
    writeFileSync(join(dir, '9p.ko.gz'), gzipSync(fakeModule('9pnet,netfs')));
    writeFileSync(join(dir, 'netfs.ko'), fakeModule(''));
    for (const [tool, ext] of [
      ['xz', 'xz'],
      ['zstd', 'zst'],
    ] as const) {
      if (!hasTool(tool)) continue;
      writeFileSync(join(dir, `m_${ext}.ko`), fakeModule(''));
      spawnSync(tool, ['-q', join(dir, `m_${ext}.ko`)]);
      t.deepEqual(readModuleFile(join(dir, `m_${ext}.ko.${ext}`)), fakeModule(''), `.ko.${ext}`);
    }
    writeFileSync(join(path, 'modules.builtin'), 'kernel/drivers/virtio/virtio_pci.ko\nkernel/fs/ext4/ext4.ko\n');
    const tree = new ModuleTree(path);
    t.deepEqual(
      tree.resolve(['9p']).map((module) => module.name),
      ['9pnet', 'netfs', '9p'],
    );
    t.deepEqual(tree.resolve(['9p'])[2]?.data, fakeModule('9pnet,netfs'));
    t.is(tree.state('virtio_pci'), 'builtin');
    t.is(tree.state('9p'), 'module');
    t.is(tree.state('sit'), 'absent');
  });
});

test('the share follows the kernel: 9p, else an ext4 disk over virtio-blk, else one line naming what it lacks', async (t) => {
  await withTmp((path) => {
    const kernel = (name: string, modules: string[], builtin: string[]): ModuleTree => {
      const dir = join(path, name);
      mkdirSync(dir);
      for (const module of modules) writeFileSync(join(dir, `${module}.ko.gz`), gzipSync(fakeModule('')));
      writeFileSync(join(dir, 'modules.builtin'), builtin.map((module) => `kernel/${module}.ko\n`).join(''));
      return new ModuleTree(dir);
    };
    t.is(chooseShare(kernel('generic', ['9p', '9pnet_virtio', 'virtio_blk', 'ext4'], ['virtio_pci']), 'generic'), '9p');
    t.is(chooseShare(kernel('cloud', ['virtio_blk'], ['virtio_pci', 'ext4', 'virtiofs']), 'cloud'), 'disk');
    t.throws(() => chooseShare(kernel('bare', [], ['virtio_pci']), '9.9-bare'), {
      instanceOf: EnvironmentError,
      message:
        "9.9-bare cannot reach the host's tree: it lacks 9pnet_virtio, 9p (for 9p) and virtio_blk, ext4 (for a virtio-blk disk)",
    });
    t.is(chooseShare(null, 'unknown'), '9p');
  });
});

test('--sysctl, --modules and --append are checked and recorded; they belong to vm only', (t) => {
  const options = parseOptions([
    'vm',
    '--kernel',
    'k',
    '--sysctl',
    'kernel.unprivileged_userns_clone=0',
    '--sysctl',
    'net/ipv4/conf/eth0.100/forwarding=1',
    '--modules',
    'ipip,sit',
    '--modules',
    'sit',
    '--append',
    'nokaslr',
  ]);
  t.deepEqual(
    options.guest.sysctls.map((sysctl) => sysctl.path),
    ['kernel/unprivileged_userns_clone', 'net/ipv4/conf/eth0.100/forwarding'],
  );
  t.deepEqual(options.guest.modules, ['ipip', 'sit']);
  t.deepEqual(describeSettings(options.guest), {
    'vm.sysctl': 'kernel.unprivileged_userns_clone=0 net/ipv4/conf/eth0.100/forwarding=1',
    'vm.modules': 'ipip,sit',
    'vm.append': 'nokaslr',
  });
  t.throws(() => parseSysctl('kernel.unprivileged_userns_clone'), {
    instanceOf: UsageError,
    message: /give key=value/,
  });
  t.throws(() => parseSysctl('../../etc/passwd=1'), { instanceOf: UsageError, message: /give key=value/ });
  t.throws(() => parseSysctl('kernel.x='), { instanceOf: UsageError, message: /one non-empty line/ });
  t.throws(() => parseOptions(['vm', '--kernel', 'k', '--modules', 'ip ip']), {
    instanceOf: UsageError,
    message: /module names separated by commas/,
  });
  t.throws(() => parseOptions(['run', '--sysctl', 'a.b=1']), {
    instanceOf: UsageError,
    message: '--sysctl applies to nsconform vm only',
  });
});

test('the guest writes the sysctls before the run and stops with one line for one it lacks; a disk share mounts vda and hands the reports back on vdb', (t) => {
  const init = writeGuestInit({
    modules: ['virtio_blk.ko'],
    share: 'disk',
    projectDir: '/work/main',
    outDir: '/work/main/reports/x',
    entry: 'native/build/nsconform-guest.mjs',
    runArgs: [],
    userRunArgs: [],
    sysctls: [parseSysctl('kernel.unprivileged_userns_clone=0')],
    properties: { 'vm.sysctl': 'kernel.unprivileged_userns_clone=0' },
  });
  t.regex(
    init,
    /if \[ ! -e '\/proc\/sys\/kernel\/unprivileged_userns_clone' \]; then echo "nsconform-vm: setup failed: sysctl kernel.unprivileged_userns_clone does not exist/,
  );
  t.regex(init, /printf '%s\\n' '0' > '\/proc\/sys\/kernel\/unprivileged_userns_clone'/);
  t.true(
    init.indexOf('unprivileged_userns_clone') < init.indexOf('phase root run'),
    'the sysctl is written before the run',
  );
  t.regex(init, /mount -t ext4 -o ro,noload \/dev\/vda \/host/);
  t.regex(init, /tar -cf \/dev\/vdb -C \/run\/nsconform/);
  t.notRegex(init, /-t 9p/);
  t.regex(init, /NSCONFORM_VM_PROPERTIES='\{"vm.sysctl":"kernel.unprivileged_userns_clone=0"\}'/);
  t.regex(
    init,
    /cat \/proc\/sys\/kernel\/tainted > \/run\/nsconform\/taint.before[^]*phase root run[^]*taint.after[^]*dmesg > \/run\/nsconform\/dmesg.run/,
  );
});

test('a new taint flag or a warning in the guest kernel log fails the health check', async (t) => {
  await withTmp((path) => {
    writeFileSync(join(path, 'taint.before'), '0\n');
    writeFileSync(join(path, 'taint.after'), '512\n');
    writeFileSync(
      join(path, 'dmesg.run'),
      '[ 1.0] random: crng init done\n[ 9.1] WARNING: CPU: 1 PID: 77 at kernel/nsproxy.c:42 create_new_namespaces+0x1/0x2\n',
    );
    const health = judgeHealth(path);
    t.true(health.checked);
    t.deepEqual(health.problems, [
      'the kernel became tainted during the run: 0 → 512 (new flags W)',
      'kernel log: [ 9.1] WARNING: CPU: 1 PID: 77 at kernel/nsproxy.c:42 create_new_namespaces+0x1/0x2',
    ]);
    writeFileSync(join(path, 'taint.before'), '4096\n');
    writeFileSync(join(path, 'taint.after'), '4096\n');
    writeFileSync(join(path, 'dmesg.run'), '[ 1.0] random: crng init done\n');
    t.deepEqual(judgeHealth(path).problems, [], "a taint the kernel had before the run is not the run's");
  });
});

test('a guest run records what it was given as vm.* run properties, and the distribution it runs', (t) => {
  t.deepEqual(
    readGuestProperties(
      { NSCONFORM_VM_PROPERTIES: '{"vm.sysctl":"a.b=1","run.modes":"x","vm.n":3}' },
      '/nonexistent/os-release',
    ),
    { 'vm.sysctl': 'a.b=1', 'vm.os-release': '(no /etc/os-release)' },
  );
  t.deepEqual(readGuestProperties({ NSCONFORM_VM_PROPERTIES: 'not json' }), {});
  t.deepEqual(readGuestProperties({}), {});
});
