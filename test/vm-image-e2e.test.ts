// nsconform vm --image end to end: a Debian 12 image built from Debian's packages (cached) boots in qemu, runs both modes, reports, and leaves neither overlay nor image change behind.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';
import { untrustedReason } from '../harness/env/trusted-path.ts';

const PROJECT = join(import.meta.dirname, '..');
/**
 * Root's cache, like the BusyBox one: not under a HOME or /tmp, every parent checked before root boots what is in it.
 * Bump the suffix when scripts/build-debian-image.sh changes what the image holds.
 */
const CACHE = '/var/cache/nsconform/images/debian-12-v2';
/** The partitioned disk GRUB boots from its MBR: the path official cloud images take (no --image-kernel). */
const IMAGE = join(CACHE, 'debian-12-nsconform-grub.qcow2');
const FILES = ['debian-12-nsconform-grub.qcow2', 'debian-12-nsconform.qcow2', 'vmlinuz', 'initrd.img', 'image.txt'];
/**
 * The user-namespace claims: set-user-ID and file capabilities (which need a scratch dir without nosuid, unlike
 * systemd's /run) and the AppArmor-confined guest's view of them. Measured under emulation on a loaded 2-core host:
 * this selection 611 s (GRUB and boot 272 s, gcc building the observer 173 s, root run 116 s, uid 65534 run 50 s, at
 * load 27–47); the whole suite 1,246 s (at load ~20).
 */
const SELECTION = 'user › user › *';
const TOOLS = [
  'qemu-system-x86_64',
  'qemu-img',
  'mmdebstrap',
  'genisoimage',
  'mkfs.ext4',
  'setpriv',
  'sfdisk',
  'grub-mkimage',
];

const hasCommand = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

function cachedImageProblem(): string | null {
  if (!existsSync(CACHE)) return 'absent';
  const unsafe = untrustedReason(CACHE, { strict: true });
  if (unsafe) return unsafe;
  for (const file of FILES) {
    const path = join(CACHE, file);
    if (!existsSync(path)) return `${path} is missing`;
    const stat = statSync(path);
    if (!stat.isFile() || stat.uid !== 0 || (stat.mode & 0o022) !== 0)
      return `${path} is not a root-owned file only root can write`;
  }
  return null;
}

/** Building takes 5–15 min here (276 s at load 14, 858 s at load ~20 beside a guest run): mostly mmdebstrap. */
async function ensureImage(): Promise<string | null> {
  const problem = cachedImageProblem();
  if (problem === null) return null;
  if (problem !== 'absent') return `the cached test image is not safe to boot: ${problem}`;
  const built = await run(PROJECT, join(PROJECT, 'scripts/build-debian-image.sh'), [CACHE]);
  return built.code === 0
    ? cachedImageProblem()
    : `building the test image failed: ${built.output.trim().split('\n').slice(-3).join(' / ')}`;
}

function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

const overlays = (dir: string): string[] => readdirSync(dir).filter((name) => name.startsWith('nsconform-vm-image-'));

function run(
  cwd: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

const property = (junit: string, name: string): string | undefined =>
  new RegExp(`<property name="${name.replace(/\./g, '\\.')}" value="([^"]*)"`).exec(junit)?.[1];

test('a Debian 12 cloud image boots its own GRUB through an overlay, runs both modes and reports its distribution, kernel and AppArmor', async (t) => {
  if (process.geteuid?.() !== 0)
    return t.pass('building and booting the test image needs root (mmdebstrap, the root-owned cache)');
  const missing = TOOLS.filter((command) => !hasCommand(command));
  if (missing.length > 0) return t.pass(`not installed: ${missing.join(', ')} (.ci/run installs them)`);
  t.timeout(75 * 60 * 1000, 'image build 5–15 min plus a guest run ~10 min under emulation, more on a loaded host');
  const problem = await ensureImage();
  t.is(problem, null, problem ?? '');
  if (problem !== null) return;
  const imageBefore = await sha256(IMAGE);
  await withDir(
    async ({ path }) => {
      // A TMPDIR of its own, so the check below sees this run's overlay directory and no other test's.
      const tmp = join(path, 'tmp');
      mkdirSync(tmp, { mode: 0o700 });
      const { code, output } = await run(
        path,
        process.execPath,
        [join(PROJECT, 'bin/nsconform.js'), 'vm', '--image', IMAGE, '--only', SELECTION, '--vm-timeout', '3000'],
        { ...process.env, TMPDIR: tmp },
      );
      t.log(
        output
          .split('\n')
          .filter((line) => /^nsconform vm: tcg|^nsconform vm: kvm|passed|LSMs/.test(line))
          .join('\n'),
      );
      t.is(code, 0, output.split('\n').slice(-30).join('\n'));
      const dir = join(path, 'reports', 'debian-12-nsconform-grub');
      for (const who of ['root', 'user']) {
        const report = JSON.parse(readFileSync(join(dir, `${who}.json`), 'utf8')) as {
          summary: { totals: Record<string, number> };
          environment: Record<string, string>;
          run: Record<string, string>;
        };
        const totals = report.summary.totals;
        t.true((totals.pass ?? 0) > 0, `${who}: cases passed`);
        t.is(totals.fail, 0, `${who}: no failure`);
        t.is(totals.error, 0, `${who}: no error`);
        t.regex(
          report.environment['runner.lsm'] ?? '',
          /(^|,)apparmor(,|$)/,
          `${who}: the guest's LSM stack names AppArmor`,
        );
        t.regex(report.environment['kernel.release'] ?? '', /^6\.1\.0-\d+-amd64$/, "the image's own kernel");
        t.is(report.run['vm.os-release'], 'Debian GNU/Linux 12 (bookworm)');
        t.is(report.run['vm.image'], IMAGE);
        t.is(report.run['vm.boot'], "the image's own bootloader");
      }
      const root = readFileSync(join(dir, 'root.junit.xml'), 'utf8');
      t.regex(property(root, 'runner.lsm') ?? '', /apparmor/);
      const vm = readFileSync(join(dir, 'vm.junit.xml'), 'utf8');
      t.notRegex(vm, /<error/, 'the guest finished and reported both runs');
      t.true(existsSync(join(dir, 'console.log')));
      t.regex(
        output,
        /total [\d.]+ s: boot [\d.]+ s .*setup .*root run .*unprivileged runner/,
        'per-phase times are printed',
      );
      t.deepEqual(overlays(tmp), [], 'the overlay directory is gone');
    },
    { unsafeCleanup: true },
  );
  t.is(await sha256(IMAGE), imageBefore, 'the image is unchanged');
});
