// nsconform vm --image without booting: options, the image check, the overlay that keeps the image unchanged, the NoCloud seed, the checkout disk, the guest's tool checks and provision.sh's refusal.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';
import { parseOptions } from '../harness/cli/args.ts';
import { EnvironmentError, UsageError } from '../harness/errors.ts';
import { downloadImage } from '../harness/vm/image/download.ts';
import { writeImageGuestScript } from '../harness/vm/image/guest-script.ts';
import { imageName, inspectImage } from '../harness/vm/image/image-file.ts';
import { makeOverlay } from '../harness/vm/image/overlay.ts';
import { buildProjectDisk, HOST_NODE, productionModules } from '../harness/vm/image/project-disk.ts';
import { buildSeed, GUEST_SCRIPT, PROJECT_LABEL } from '../harness/vm/image/seed.ts';
import { readOsRelease } from '../harness/vm/guest-properties.ts';

const PROJECT = join(import.meta.dirname, '..');
const GUEST_TOOLS = join(PROJECT, 'harness/vm/image/guest-tools.sh');
const hasTool = (command: string, arg = '--version'): boolean => spawnSync(command, [arg]).status === 0;
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function qemuImg(args: string[]): string {
  const result = spawnSync('qemu-img', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

test('vm --image options: one line for each combination that cannot work', (t) => {
  const image = parseOptions([
    'vm',
    '--image',
    'debian.qcow2',
    '--image-kernel',
    'vmlinuz',
    '--image-initrd',
    'initrd.img',
    '--append',
    'root=/dev/vda1',
    '--sysctl',
    'user.max_user_namespaces=0',
  ]);
  t.is(image.image, 'debian.qcow2');
  t.is(image.imageKernel, 'vmlinuz');
  t.is(image.downloadImage, false);
  const refusals: Array<[string[], RegExp]> = [
    [['vm'], /vm needs --kernel .* or --image <cloud image>/],
    [['vm', '--image', 'a.qcow2', '--kernel', 'linux-image-amd64'], /--kernel and --image exclude each other/],
    [
      ['vm', '--image', 'https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2'],
      /is a URL: nsconform downloads nothing unasked; add --download-image/,
    ],
    [['vm', '--image', 'a.qcow2', '--append', 'quiet'], /--append needs --image-kernel/],
    [['vm', '--image', 'a.qcow2', '--image-initrd', 'initrd.img'], /--image-initrd goes with --image-kernel/],
    [['vm', '--kernel', 'k', '--image-kernel', 'vmlinuz'], /--image-kernel goes with --image/],
    [['vm', '--image', 'a.qcow2', '--kernel-modules', 'lib/modules/6.1'], /--kernel-modules goes with --kernel/],
    [['run', '--image', 'a.qcow2'], /--image applies to nsconform vm only/],
  ];
  for (const [argv, message] of refusals)
    t.throws(() => parseOptions(argv), { instanceOf: UsageError, message }, argv.join(' '));
  t.notThrows(() => parseOptions(['vm', '--image', 'https://example.org/a.qcow2', '--download-image']));
});

test('image names: the reports directory drops the image extensions and keeps version dots', (t) => {
  t.is(imageName('/srv/debian-12-genericcloud-amd64.qcow2'), 'debian-12-genericcloud-amd64');
  t.is(imageName('noble-server-cloudimg-amd64.img'), 'noble-server-cloudimg-amd64');
  t.is(imageName('Fedora-Cloud-Base-Generic-44-1.7.x86_64.qcow2'), 'Fedora-Cloud-Base-Generic-44-1.7.x86_64');
  t.is(imageName('.qcow2'), 'image');
});

test('an image is a qcow2 or raw file qemu-img reads; anything else is one line', async (t) => {
  if (!hasTool('qemu-img')) return t.pass('qemu-img is not installed');
  await withDir(
    ({ path }) => {
      qemuImg(['create', '-q', '-f', 'qcow2', join(path, 'a.qcow2'), '64M']);
      qemuImg(['create', '-q', '-f', 'vmdk', join(path, 'b.vmdk'), '64M']);
      const image = inspectImage(join(path, 'a.qcow2'));
      t.is(image.format, 'qcow2');
      t.is(image.virtualBytes, 64 * 1024 * 1024);
      t.throws(() => inspectImage(join(path, 'b.vmdk')), {
        instanceOf: UsageError,
        message: /is a vmdk image: nsconform vm boots qcow2 or raw images/,
      });
      t.throws(() => inspectImage(join(path, 'missing.qcow2')), {
        instanceOf: UsageError,
        message: /missing\.qcow2: no such file/,
      });
      t.throws(() => inspectImage(path), { instanceOf: UsageError, message: /is not a regular file/ });
      return Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});

test("the overlay takes the guest's writes: the image itself keeps every byte", async (t) => {
  if (!hasTool('qemu-img') || !hasTool('qemu-io')) return t.pass('qemu-img or qemu-io is not installed');
  await withDir(
    ({ path }) => {
      const base = join(path, 'base.raw');
      qemuImg(['create', '-q', '-f', 'raw', base, '16M']);
      const before = sha256(base);
      const work = join(path, 'work');
      mkdirSync(work);
      const overlay = makeOverlay(inspectImage(base), work);
      const info = JSON.parse(qemuImg(['info', '--output=json', overlay])) as {
        'backing-filename'?: string;
        'backing-filename-format'?: string;
        'virtual-size'?: number;
      };
      t.is(info['backing-filename'], base);
      t.is(info['backing-filename-format'], 'raw');
      t.true((info['virtual-size'] ?? 0) >= 8 * 1024 ** 3, 'grown to leave the guest room for a compiler and Node');
      const write = spawnSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0xab 0 1M', overlay], { encoding: 'utf8' });
      t.is(write.status, 0, write.stderr);
      const read = spawnSync('qemu-io', ['-f', 'qcow2', '-c', 'read -P 0xab 0 1M', overlay], { encoding: 'utf8' });
      t.notRegex(read.stdout, /Pattern verification failed/, 'the overlay holds the write');
      t.is(sha256(base), before, 'the image is unchanged');
      return Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});

test('the NoCloud seed is an ISO 9660 volume labelled cidata whose user-data mounts the checkout by label and starts the guest script', async (t) => {
  if (!hasTool('genisoimage') || !hasTool('isoinfo', '-version')) return t.pass('genisoimage is not installed');
  await withDir(
    ({ path }) => {
      const iso = buildSeed(path);
      const volume = spawnSync('isoinfo', ['-d', '-i', iso], { encoding: 'utf8' }).stdout;
      t.regex(volume, /Volume id: cidata/);
      const read = (name: string): string =>
        spawnSync('isoinfo', ['-R', '-x', `/${name}`, '-i', iso], { encoding: 'utf8' }).stdout;
      const userData = read('user-data');
      t.regex(userData, /^#cloud-config\n/);
      t.true(userData.includes(`mount LABEL=${PROJECT_LABEL} /mnt/nsconform`));
      t.true(userData.includes(`sh /mnt/nsconform/${GUEST_SCRIPT}`));
      t.regex(read('meta-data'), /^instance-id: nsconform-[0-9a-f]{12}\nlocal-hostname: nsconform-guest\n$/);
      t.not(
        read('meta-data'),
        buildSeedAgain(path),
        'each run is a new instance, so cloud-init runs runcmd again on a reused image',
      );
      return Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});

function buildSeedAgain(path: string): string {
  const dir = join(path, 'again');
  mkdirSync(dir);
  return spawnSync('isoinfo', ['-R', '-x', '/meta-data', '-i', buildSeed(dir)], { encoding: 'utf8' }).stdout;
}

test('the checkout disk carries the sources, production dependencies, the guest script and this node — not history, reports or dev dependencies', async (t) => {
  if (!hasTool('mkfs.ext4', '-V') || !hasTool('debugfs', '-V')) return t.pass('e2fsprogs is not installed');
  const modules = productionModules(PROJECT);
  t.true(modules.includes('node_modules/junit-report-builder'));
  t.false(modules.includes('node_modules/ava'), 'ava is a dev dependency');
  await withDir(
    ({ path }) => {
      const disk = buildProjectDisk(path, PROJECT, '#!/bin/sh\necho guest\n');
      const ls = (dir: string): string =>
        spawnSync('debugfs', ['-R', `ls -l ${dir}`, disk], { encoding: 'utf8' }).stdout;
      const root = ls('/');
      for (const entry of ['harness', 'suites', 'package.json', '.nsconform-guest', 'node_modules', 'native'])
        t.true(root.includes(entry), entry);
      t.false(/\s\.git\s*$/m.test(root) || /\s\.git\n/.test(root), 'no .git');
      t.false(/\sreports\s*\n/.test(root), 'no reports');
      const modulesDir = ls('/node_modules');
      t.true(modulesDir.includes('junit-report-builder'));
      t.false(modulesDir.includes(' ava\n') || /\sava\s*$/m.test(modulesDir), 'no dev dependencies');
      t.false(
        ls('/native').includes('build\n') && ls('/native/build').includes('nsconform-observer-sanitized'),
        "the host's observer builds stay behind",
      );
      t.regex(ls('/.nsconform-guest'), /100755 .* start\.sh/);
      t.regex(ls('/.nsconform-guest'), /100755 .* node/);
      const label = spawnSync('dumpe2fs', ['-h', disk], { encoding: 'utf8' }).stdout;
      t.regex(label, new RegExp(`Filesystem volume name:\\s+${PROJECT_LABEL}`));
      t.false(existsSync(join(path, 'project-staging', PROJECT)), 'the staging copy is gone');
      return Promise.resolve();
    },
    { unsafeCleanup: true },
  );
  t.is(HOST_NODE, '.nsconform-guest/node');
});

test("the guest script installs what is missing, builds the observer with the guest's compiler, then runs both modes onto the report disk", (t) => {
  const script = writeImageGuestScript({
    entry: 'native/build/nsconform-guest.mjs',
    runArgs: ['--only', 'user › *'],
    userRunArgs: ['--mode', 'unprivileged'],
    sysctls: [],
    properties: { 'vm.image': '/x.qcow2' },
    modules: ['ipip'],
    autoloaded: ['overlay'],
    nodeVersion: '20.20.2',
  });
  const order = [
    '. ./harness/vm/image/guest-tools.sh',
    'nsconform_install_compiler',
    "nsconform_install_node '20.20.2' '/mnt/nsconform/.nsconform-guest/node'",
    'nsconform_require_tools',
    "modprobe -q 'overlay' 2>/dev/null",
    "modprobe 'ipip' ||",
    'node scripts/build-native.js',
    'phase root run',
    'phase unprivileged runner',
    'tar -cf /dev/vdb',
  ];
  const at = order.map((step) => script.indexOf(step));
  t.false(at.includes(-1), `every step present: ${order.filter((_, index) => at[index] === -1).join(', ')}`);
  t.deepEqual(
    [...at].sort((a, b) => a - b),
    at,
    'in this order',
  );
  t.regex(script, /"vm\.image":"\/x\.qcow2"/);
  t.is(spawnSync('sh', ['-n'], { input: script }).status, 0, 'valid sh');
});

test('os-release: PRETTY_NAME, else NAME and VERSION_ID', async (t) => {
  await withDir(
    ({ path }) => {
      writeFileSync(
        join(path, 'a'),
        'NAME="Debian GNU/Linux"\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
      );
      writeFileSync(join(path, 'b'), 'NAME=AlmaLinux\nVERSION_ID=8.10\n');
      t.is(readOsRelease(join(path, 'a')), 'Debian GNU/Linux 12 (bookworm)');
      t.is(readOsRelease(join(path, 'b')), 'AlmaLinux 8.10');
      t.is(readOsRelease(join(path, 'none')), null);
      return Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});

/** A PATH of one directory: a fake node that prints `version`, with `cc` a compiler that answers --version, and dirname (provision.sh finds its tools by it). */
function fakeTools(dir: string, version: string | null, cc: boolean): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  if (version) writeFileSync(join(bin, 'node'), `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
  if (cc) writeFileSync(join(bin, 'cc'), '#!/bin/sh\necho "cc (fake) 12"\n', { mode: 0o755 });
  symlinkSync('/usr/bin/dirname', join(bin, 'dirname'));
  return bin;
}

test('provision.sh --check refuses an old node and a missing compiler, loudly; a new enough node and a compiler pass', async (t) => {
  await withDir(
    ({ path }) => {
      // Only sh builtins and the fakes: PATH holds nothing else, so the host's node and gcc cannot answer.
      const check = (version: string | null, cc: boolean) =>
        spawnSync('/bin/bash', [join(PROJECT, 'vagrant/provision.sh'), '--check'], {
          encoding: 'utf8',
          env: { PATH: fakeTools(join(path, `${version}-${cc}`), version, cc) },
        });
      const old = check('v18.19.0', true);
      t.is(old.status, 1);
      t.regex(old.stderr, /Node >= 20\.19 is required, but .*\/bin\/node is v18\.19\.0/);
      const almost = check('v20.18.3', true);
      t.is(almost.status, 1);
      t.regex(almost.stderr, /is v20\.18\.3/);
      const none = check(null, false);
      t.is(none.status, 1);
      t.regex(none.stderr, /there is no node on PATH/);
      t.regex(none.stderr, /a C compiler is required to build the observer/);
      for (const version of ['v20.19.0', 'v22.1.0', 'v26.12.1']) {
        const good = check(version, true);
        t.is(good.status, 0, `${version}: ${good.stderr}`);
        t.is(good.stderr, '');
      }
      return Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});

test("a failed package install shows the package manager's last lines as nsconform lines, which nsconform vm passes on from the console", async (t) => {
  await withDir(
    ({ path }) => {
      const bin = join(path, 'bin');
      mkdirSync(bin);
      for (const tool of ['mktemp', 'tail', 'sed', 'rm']) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
      // apt-get update succeeds with a warning when the mirror cannot be resolved; install then fails.
      writeFileSync(
        join(bin, 'apt-get'),
        `#!/bin/sh\n[ "$1" = update ] && { echo "W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'"; exit 0; }\n[ -e "${join(path, 'works')}" ] && exit 0\necho "E: Unable to locate package gcc"; exit 100\n`,
        { mode: 0o755 },
      );
      const install = () =>
        spawnSync('/bin/sh', ['-c', `. '${GUEST_TOOLS}'; nsconform_install_packages gcc`], {
          encoding: 'utf8',
          env: { PATH: bin },
        });
      const failed = install();
      t.is(failed.status, 100);
      t.deepEqual(failed.stderr.trim().split('\n'), [
        "nsconform: installing gcc failed: W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'",
        'nsconform: installing gcc failed: E: Unable to locate package gcc',
      ]);
      writeFileSync(join(path, 'works'), '');
      const worked = install();
      t.is(worked.status, 0);
      t.is(worked.stderr, '', 'a successful install says nothing');
      return Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});

test('node from the npm registry: when the download fails the guest says why before it falls back to the host binary', async (t) => {
  await withDir(
    ({ path }) => {
      const bin = fakeTools(path, null, false);
      for (const tool of ['mkdir', 'rm', 'head', 'sed', 'tar', 'gzip', 'ln'])
        symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
      writeFileSync(
        join(bin, 'curl'),
        '#!/bin/sh\necho "curl: (60) SSL certificate problem: unable to get local issuer certificate" >&2\nexit 60\n',
        { mode: 0o755 },
      );
      const hostNode = join(path, 'host-node');
      writeFileSync(hostNode, '#!/bin/sh\necho v20.20.2\n', { mode: 0o755 });
      // The registry's files go to /opt/nsconform-node: a tools file whose paths point into this test's directory.
      const tools = join(path, 'guest-tools.sh');
      writeFileSync(
        tools,
        readFileSync(GUEST_TOOLS, 'utf8')
          .replaceAll('/opt/nsconform-node', join(path, 'opt'))
          .replaceAll('/usr/local/bin', bin),
      );
      const run = spawnSync('/bin/sh', ['-c', `. '${tools}'; nsconform_install_node 20.20.2 '${hostNode}'`], {
        encoding: 'utf8',
        env: { PATH: bin },
      });
      t.is(run.status, 0, run.stderr);
      t.regex(
        run.stderr,
        /^nsconform: node 20\.20\.2 from the npm registry failed: curl: \(60\) SSL certificate problem: unable to get local issuer certificate$/m,
      );
      t.regex(run.stdout, /the host's binary from the checkout disk/);
      return Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});

test('the guest tools pick a node by its --version, whatever the text around the digits', (t) => {
  const ok = (version: string): boolean =>
    spawnSync('sh', ['-c', `. '${GUEST_TOOLS}'; f() { echo '${version}'; }; nsconform_node_ok f`]).status === 0;
  t.true(ok('v20.19.0'));
  t.true(ok('v21.0.0'));
  t.false(ok('v20.9.0'));
  t.false(ok('v8.99.0'));
  t.false(ok('not a version'));
  t.false(ok(''));
});

test('--download-image fetches into a checked cache once, and refuses what is not a file URL', async (t) => {
  if (process.geteuid?.() !== 0) return t.pass('the cache check expects root-owned parents; run as root');
  const server = createServer((request, response) => {
    if (request.url === '/images/tiny.qcow2') response.end('qcow2 bytes');
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    // Not under /tmp: a cache there is refused (anyone could plant an image root then boots), which this checks first.
    await t.throwsAsync(
      downloadImage(
        `http://127.0.0.1:${port}/images/tiny.qcow2`,
        () => {},
        join(tmpdir(), `nsconform-cache-test-${process.pid}`),
      ),
      { instanceOf: EnvironmentError, message: /is not safe: \/tmp is writable by others/ },
    );
    rmSync(join(tmpdir(), `nsconform-cache-test-${process.pid}`), { recursive: true, force: true });
    await withDir(
      async ({ path }) => {
        const lines: string[] = [];
        const say = (line: string): void => void lines.push(line);
        const file = await downloadImage(`http://127.0.0.1:${port}/images/tiny.qcow2`, say, join(path, 'cache'));
        t.is(readFileSync(file, 'utf8'), 'qcow2 bytes');
        t.true(
          lines.some((line) => line.includes(`SHA-256 ${createHash('sha256').update('qcow2 bytes').digest('hex')}`)),
        );
        await downloadImage(`http://127.0.0.1:${port}/images/tiny.qcow2`, say, join(path, 'cache'));
        t.true(lines.some((line) => line.includes('was downloaded before')));
        await t.throwsAsync(downloadImage(`http://127.0.0.1:${port}/images/gone.qcow2`, say, join(path, 'cache')), {
          instanceOf: EnvironmentError,
          message: /HTTP 404/,
        });
        t.false(existsSync(join(path, 'cache', 'gone.qcow2')));
        await t.throwsAsync(downloadImage('ftp://example.org/a.qcow2', say, join(path, 'cache')), {
          instanceOf: UsageError,
          message: /only http and https/,
        });
        await t.throwsAsync(downloadImage(`http://127.0.0.1:${port}/`, say, join(path, 'cache')), {
          instanceOf: UsageError,
          message: /does not end in a file name/,
        });
      },
      { unsafeCleanup: true, tmpdir: join(PROJECT, 'reports') },
    );
  } finally {
    server.close();
  }
});

test('vagrant/cloud-image-box.sh makes a libvirt box of a cloud image: a standalone qcow2, metadata and a Vagrantfile with a key of its own', async (t) => {
  if (!hasTool('qemu-img') || !hasTool('genisoimage') || !existsSync('/usr/bin/ssh-keygen'))
    return t.pass('qemu-img, genisoimage or ssh-keygen is not installed');
  await withDir(
    ({ path }) => {
      const image = join(path, 'cloud.qcow2');
      qemuImg(['create', '-q', '-f', 'qcow2', image, '32M']);
      qemuImg(['create', '-q', '-f', 'vmdk', join(path, 'cloud.vmdk'), '32M']);
      const make = (name: string, file: string) =>
        spawnSync('bash', [join(PROJECT, 'vagrant/cloud-image-box.sh'), name, file], {
          encoding: 'utf8',
          env: { ...process.env, NSCONFORM_BOX_DIR: join(path, 'boxes') },
        });
      const made = make('debian12', image);
      t.is(made.status, 0, made.stderr);
      const box = join(path, 'boxes', 'debian12.box');
      t.deepEqual(spawnSync('tar', ['-tzf', box], { encoding: 'utf8' }).stdout.trim().split('\n').sort(), [
        'Vagrantfile',
        'box.img',
        'metadata.json',
      ]);
      const metadata = JSON.parse(spawnSync('tar', ['-xzOf', box, 'metadata.json'], { encoding: 'utf8' }).stdout) as {
        provider: string;
        format: string;
      };
      t.deepEqual([metadata.provider, metadata.format], ['libvirt', 'qcow2']);
      const vagrantfile = spawnSync('tar', ['-xzOf', box, 'Vagrantfile'], { encoding: 'utf8' }).stdout;
      t.true(vagrantfile.includes(`private_key_path = "${join(path, 'boxes', 'debian12', 'vagrant_key')}"`));
      t.true(vagrantfile.includes('device: :cdrom'));
      t.is(make('debian12', join(path, 'cloud.vmdk')).status, 2, 'a vmdk is refused');
      t.is(make('Debian 12', image).status, 2, 'a name that is not a box name is refused');
      return Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});

const BOOT_TOOLS = ['qemu-system-x86_64', 'qemu-img', 'genisoimage', 'mkfs.ext4', 'setpriv'];
const missingBootTools = (): string[] =>
  BOOT_TOOLS.filter((command) => spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0);
/** Each run gets a TMPDIR of the test's own: other tests' image runs (the e2e one) make their directories beside ours in /tmp. */
function privateTmp(path: string): string {
  const dir = join(path, 'tmp');
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}
const imageWorkDirs = (dir: string): string[] =>
  readdirSync(dir).filter((name) => name.startsWith('nsconform-vm-image-'));

/** A blank disk: SeaBIOS finds nothing to boot and the guest never says a word on the serial console. */
function blankImage(dir: string): string {
  const image = join(dir, 'blank.qcow2');
  qemuImg(['create', '-q', '-f', 'qcow2', image, '64M']);
  return image;
}

test.serial(
  "a guest that never reports: exit 3 with the console tail and vm.junit.xml's error, the overlay removed",
  async (t) => {
    const missing = missingBootTools();
    if (missing.length > 0) return t.pass(`not installed: ${missing.join(', ')}`);
    await withDir(
      ({ path }) => {
        const tmp = privateTmp(path);
        const result = spawnSync(
          process.execPath,
          [join(PROJECT, 'bin/nsconform.js'), 'vm', '--image', blankImage(path), '--vm-timeout', '10'],
          { cwd: path, encoding: 'utf8', timeout: 120000, env: { ...process.env, TMPDIR: tmp } },
        );
        t.is(result.status, 3, result.stderr);
        t.regex(
          result.stderr,
          /the guest did not finish within 10 s and was killed \(recorded in .*vm\.junit\.xml\); the console's last lines/,
        );
        t.notRegex(result.stderr, /\n\s+at /, 'no stack trace');
        t.regex(
          readFileSync(join(path, 'reports', 'blank', 'vm.junit.xml'), 'utf8'),
          /<error message="the guest did not finish within 10 s/,
        );
        t.deepEqual(imageWorkDirs(tmp), [], 'the overlay directory is gone');
        return Promise.resolve();
      },
      { unsafeCleanup: true },
    );
  },
);

test.serial(
  'nsconform killed mid-boot (SIGKILL): qemu dies with it and the janitor removes the overlay directory',
  async (t) => {
    const missing = missingBootTools();
    if (missing.length > 0) return t.pass(`not installed: ${missing.join(', ')}`);
    await withDir(
      async ({ path }) => {
        const tmp = privateTmp(path);
        const child = spawn(
          process.execPath,
          [join(PROJECT, 'bin/nsconform.js'), 'vm', '--image', blankImage(path), '--vm-timeout', '600'],
          { cwd: path, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, TMPDIR: tmp } },
        );
        await new Promise<void>((resolve) =>
          child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('nsconform vm: booting') && resolve()),
        );
        const made = imageWorkDirs(tmp);
        t.is(made.length, 1, 'the run made its private directory');
        const dir = join(tmp, made[0] ?? '');
        const qemuOf = (): number[] =>
          spawnSync('pgrep', ['-f', `${dir}/overlay.qcow2`], { encoding: 'utf8' })
            .stdout.split('\n')
            .filter(Boolean)
            .map(Number)
            .filter((pid) => pid !== child.pid);
        for (let i = 0; i < 50 && qemuOf().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
        t.is(qemuOf().length, 1, 'qemu runs over the overlay');
        child.kill('SIGKILL');
        let gone = false;
        for (let i = 0; i < 100 && !gone; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          gone = qemuOf().length === 0 && !existsSync(dir);
        }
        t.deepEqual(qemuOf(), [], 'no qemu left');
        t.false(existsSync(dir), 'the overlay directory is gone within 10 s');
      },
      { unsafeCleanup: true },
    );
  },
);
