// nsconform vm's exit status (README): 0 pass, 1 the kernel failed a case, 3 the guest gave no verdicts — with a stand-in qemu, nothing booted.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { withDir } from 'tmp-promise';
import { findTool, BUSYBOX } from '../harness/vm/tools.ts';
import { isStaticElf } from '../harness/vm/elf.ts';
import { RELEASE, fakeImage, fakeQemu } from './fake-qemu.ts';

const BIN = fileURLToPath(new URL('../bin/nsconform.js', import.meta.url));

/** The files a guest that ran both runs hands back, with the runs' exit statuses. */
const finished = (root: number, user: number): string => `echo "nsconform-vm: phase root run"
echo ${root} > "$out/root.status"; echo ${user} > "$out/user.status"
echo 0 > "$out/taint.before"; echo 0 > "$out/taint.after"; : > "$out/dmesg.run"
echo "nsconform-vm: root run exit ${root}, unprivileged runner exit ${user}"`;

async function runVm(
  body: string,
  extra: readonly string[] = [],
  signalAfterBoot?: NodeJS.Signals,
): Promise<{ code: number | null; stderr: string; report: string; pid: number }> {
  return withDir(
    async ({ path }) => {
      const bin = join(path, 'bin');
      mkdirSync(bin);
      fakeQemu(bin, body);
      writeFileSync(join(path, 'vmlinuz'), fakeImage());
      const child = spawn(process.execPath, [BIN, 'vm', '--kernel', join(path, 'vmlinuz'), ...extra], {
        cwd: path,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (chunk: Buffer) => {
        if (signalAfterBoot && chunk.toString().includes('guest up')) child.kill(signalAfterBoot);
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      let report = '';
      try {
        report = readFileSync(join(path, 'reports', RELEASE, 'vm.junit.xml'), 'utf8');
      } catch {
        // no report: the test says so
      }
      return { code, stderr, report, pid: child.pid ?? 0 };
    },
    { unsafeCleanup: true },
  );
}

const canRun = (() => {
  try {
    return isStaticElf(findTool(BUSYBOX));
  } catch {
    return false;
  }
})();
const vmTest = canRun ? test.serial : test.skip;

vmTest(
  'a guest that panics gives exit 3 (no verdicts), with the panic in vm.junit.xml and one line on stderr',
  async (t) => {
    const run = await runVm('echo "[    9.1] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000009"');
    t.is(run.code, 3);
    t.regex(run.stderr, /^nsconform: the guest ended without reporting both runs: Kernel panic - not syncing/m);
    t.notRegex(run.stderr, /\n\s+at /);
    t.regex(run.report, /type="GuestFailed"/);
  },
);

vmTest('a guest that ends without its reports gives exit 3', async (t) => {
  const run = await runVm('echo "nsconform-vm: phase root run"');
  t.is(run.code, 3);
  t.regex(run.stderr, /the guest ended without reporting both runs \(it crashed, panicked or powered off early\)/);
});

vmTest('a guest that hangs past --vm-timeout is killed and gives exit 3', async (t) => {
  const run = await runVm('exec sleep 60', ['--vm-timeout', '10']);
  t.is(run.code, 3);
  t.regex(run.stderr, /the guest did not finish within 10 s and was killed/);
});

vmTest('a guest that ran both runs gives their worst status: 0 when both passed, 1 when a case failed', async (t) => {
  t.is((await runVm(finished(0, 0))).code, 0);
  const failed = await runVm(finished(1, 0));
  t.is(failed.code, 1);
  t.notRegex(failed.report, /GuestFailed/);
});

vmTest('SIGTERM kills the guest and exits 143, leaving no work directory behind (it was left in /tmp)', async (t) => {
  const run = await runVm('exec sleep 60', [], 'SIGTERM');
  t.is(run.code, 143);
  t.regex(run.stderr, /interrupted by SIGTERM: the guest was killed/);
  t.deepEqual(
    readdirSync(tmpdir()).filter((name) => name.startsWith(`nsconform-vm--${run.pid}-`)),
    [],
  );
});
