// nsconform vm --kernel K: boot K in qemu over the host's tree, run the suite as root and unprivileged there, bring the reports back.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withDir } from 'tmp-promise';
import { EnvironmentError } from '../errors.ts';
import { requireObserverBinary } from '../observer/binary.ts';
import { chooseAccel } from '../vm/accel.ts';
import { isStaticElf } from '../vm/elf.ts';
import { writeGuestInit } from '../vm/guest-init.ts';
import { runGuest, type GuestResult } from '../vm/guest-run.ts';
import { writeGuestFailure } from '../vm/guest-failure.ts';
import { buildInitramfs } from '../vm/initramfs.ts';
import { resolveKernel } from '../vm/kernel-source.ts';
import { GUEST_MODULES, resolveModules } from '../vm/modules.ts';
import { BUSYBOX, QEMU, findTool } from '../vm/tools.ts';
import { makeReleaseDir } from '../vm/release-dir.ts';
import type { Options } from './args.ts';

const PROJECT_DIR = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const REPORT_FILES = ['root.junit.xml', 'root.json', 'user.junit.xml', 'user.json', 'root.status', 'user.status', 'console.log', 'vm.junit.xml'];
const KVM_FIRST_OUTPUT_MS = 60000;

/** A dynamically linked busybox would need the host's libraries before the host tree is mounted. */
function requireStaticBusybox(): string {
  const busybox = findTool(BUSYBOX);
  if (!isStaticElf(busybox)) throw new EnvironmentError(`${busybox} is dynamically linked: install Debian's busybox-static ("apt-get install busybox-static")`);
  return busybox;
}

function guestArgs(options: Options): string[] {
  return [
    ...options.only.flatMap((glob) => ['--only', glob]),
    '--path', options.paths.join(','),
    '--timeout', String(options.timeoutMs),
  ];
}

function readStatus(outDir: string, run: 'root' | 'user'): number | null {
  const file = join(outDir, `${run}.status`);
  if (!existsSync(file)) return null;
  const code = Number.parseInt(readFileSync(file, 'utf8'), 10);
  return Number.isFinite(code) ? code : null;
}

async function bootAndRun(options: Options, workDir: string): Promise<number> {
  const qemu = findTool(QEMU);
  const busybox = requireStaticBusybox();
  requireObserverBinary();
  const kernel = resolveKernel(options.kernel ?? '', workDir);
  const modules = kernel.modulesDir ? resolveModules(kernel.modulesDir, GUEST_MODULES) : [];
  if (!kernel.modulesDir) process.stdout.write(`nsconform vm: no modules for ${kernel.release}; it must have ${GUEST_MODULES.join(', ')} built in\n`);
  const outDir = makeReleaseDir(resolve('reports'), kernel.release);
  for (const file of REPORT_FILES) rmSync(join(outDir, file), { force: true });
  const init = writeGuestInit({ modules: modules.map((module) => module.path.split('/').pop() ?? ''), projectDir: PROJECT_DIR, outDir, runArgs: guestArgs(options) });
  const initrd = join(workDir, 'initramfs.cpio');
  writeFileSync(initrd, buildInitramfs(busybox, modules, init));

  const choice = chooseAccel();
  let accel = choice.accel;
  process.stdout.write(`nsconform vm: booting ${kernel.release} with ${accel} (${choice.why}); console: ${join(outDir, 'console.log')}\n`);
  const boot = (chosen: typeof accel): Promise<GuestResult> =>
    runGuest({ qemu, accel: chosen, image: kernel.image, initrd, outDir, consoleLog: join(outDir, 'console.log'), deadlineMs: options.vmTimeoutS * 1000, firstOutputMs: KVM_FIRST_OUTPUT_MS, echo: (line) => process.stdout.write(`guest| ${line}\n`) });
  let result = await boot(accel);
  if (result.status === 'silent') {
    accel = 'tcg';
    process.stdout.write(`nsconform vm: the KVM guest printed nothing in ${KVM_FIRST_OUTPUT_MS / 1000} s; booting again with tcg\n`);
    result = await boot(accel);
  }
  const seconds = (ms: number | null): string => (ms === null ? '?' : `${(ms / 1000).toFixed(1)} s`);
  const bootMs = result.status === 'silent' ? null : result.bootMs;
  process.stdout.write(`nsconform vm: ${accel}, boot ${seconds(bootMs)}, guest run ${seconds(bootMs === null ? null : result.totalMs - bootMs)}, total ${seconds(result.totalMs)}\n`);
  const fail = (message: string): number => {
    const report = writeGuestFailure(outDir, kernel.release, message, result.totalMs / 1000);
    process.stderr.write(`nsconform: ${message}; see ${join(outDir, 'console.log')} (error recorded in ${report})\n`);
    return 1;
  };
  if (result.status !== 'finished') return fail(`the guest did not finish within ${options.vmTimeoutS} s and was killed`);
  const codes = [readStatus(outDir, 'root'), readStatus(outDir, 'user')];
  if (codes.some((code) => code === null)) return fail('the guest ended without reporting both runs');
  process.stdout.write(`reports: ${outDir}/{root,user}.{junit.xml,json}\n`);
  return Math.max(...(codes as number[]));
}

export function runInVm(options: Options): Promise<number> {
  return withDir(({ path }) => bootAndRun(options, path), { prefix: 'nsconform-vm-', unsafeCleanup: true });
}
