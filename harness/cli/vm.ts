// nsconform vm --kernel K: boot K in qemu over the host's tree, run the suite as root and unprivileged there, bring the reports back.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withDir } from 'tmp-promise';
import { EnvironmentError, UsageError } from '../errors.ts';
import { requireObserverBinary } from '../observer/binary.ts';
import { catchInterrupts, exitCodeForSignal, type Interrupt } from '../run/interrupt.ts';
import { chooseAccel, type Accel } from '../vm/accel.ts';
import { isStaticElf } from '../vm/elf.ts';
import { prepareGuestEntry } from '../vm/guest-entry.ts';
import { writeGuestReport } from '../vm/guest-failure.ts';
import { findSplats, judgeHealth } from '../vm/guest-health.ts';
import { GUEST_FILES, writeGuestInit } from '../vm/guest-init.ts';
import { runGuest, type GuestResult, type Phase } from '../vm/guest-run.ts';
import { describeSettings } from '../vm/guest-settings.ts';
import { buildHostDisk, unpackReports } from '../vm/host-disk.ts';
import { buildInitramfs } from '../vm/initramfs.ts';
import { resolveKernel, type GuestKernel } from '../vm/kernel-source.ts';
import { ModuleTree } from '../vm/modules.ts';
import { SHARE_EXTRAS, SHARE_MODULES, chooseShare } from '../vm/share.ts';
import { BUSYBOX, QEMU, findTool } from '../vm/tools.ts';
import { makeReleaseDir } from '../vm/release-dir.ts';
import { DEFAULT_TIMEOUT_MS, type Options } from './args.ts';

const PROJECT_DIR = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const REPORT_FILES = [...GUEST_FILES, 'console.log', 'vm.junit.xml'];
export const KVM_FIRST_OUTPUT_MS = 60000;
/** A guest that panicked, hung or lost its reports gave no verdicts: a harness or environment failure (README, exit status 3), not the kernel's 1. */
const GUEST_FAILED = 3;
/**
 * The run as uid 65534 shows what only a non-root runner can: that nsconform itself starts, probes
 * and reports without privilege. The unprivileged verdicts of every case already come from the
 * root run's unprivileged mode, so this run takes the user-namespace cases only.
 */
const RUNNER_CHECK = ['matrix › user › *', 'user › *'];

/**
 * Modules a host autoloads when the suite asks (ip link add type veth, mount -t overlay): the guest
 * has no modprobe for its kernel's modules, so they are loaded up front where they are modules.
 * Without them 6.1 and 6.12 skipped 8 cases for "needs veth pairs" and "needs the overlay filesystem".
 */
export const AUTOLOADED = ['veth', 'overlay'];

export function kernelCache(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nsconform', 'kernels');
}

/** A dynamically linked busybox would need the host's libraries before the host tree is mounted. */
function requireStaticBusybox(): string {
  const busybox = findTool(BUSYBOX);
  if (!isStaticElf(busybox))
    throw new EnvironmentError(
      `${busybox} is dynamically linked: install Debian's busybox-static ("apt-get install busybox-static")`,
    );
  return busybox;
}

/**
 * Under tcg a guest runs some 60 times slower than the host (the clone3 matrix: 2.5 s here, 150 s
 * there), and a case that forks ps or mounts proc went past the 10 s default on 6.12 under load.
 * A --timeout the user gave is kept.
 */
const TCG_TIMEOUT_MS = 30000;

export function caseTimeout(options: Options, accel: Accel): number {
  return accel === 'tcg' && options.timeoutMs === DEFAULT_TIMEOUT_MS ? TCG_TIMEOUT_MS : options.timeoutMs;
}

export function guestArgs(options: Options, timeoutMs: number): string[] {
  return [
    ...options.only.flatMap((glob) => ['--only', glob]),
    '--path',
    options.paths.join(','),
    '--timeout',
    String(timeoutMs),
  ];
}

export function userRunArgs(options: Options, timeoutMs: number): string[] {
  const only = options.only.length > 0 ? options.only : RUNNER_CHECK;
  return [
    ...only.flatMap((glob) => ['--only', glob]),
    '--mode',
    'unprivileged',
    '--path',
    options.paths.join(','),
    '--timeout',
    String(timeoutMs),
  ];
}

export function readStatus(outDir: string, run: 'root' | 'user'): number | null {
  const file = join(outDir, `${run}.status`);
  if (!existsSync(file)) return null;
  const code = Number.parseInt(readFileSync(file, 'utf8'), 10);
  return Number.isFinite(code) ? code : null;
}

/** The modules to put in the initramfs: the share's, then the user's --modules; one line for a module the kernel lacks. */
function planModules(kernel: GuestKernel, tree: ModuleTree | null, wanted: readonly string[]) {
  const share = chooseShare(tree, kernel.release);
  if (!tree) return { share, modules: [] };
  const absent = wanted.filter((name) => tree.state(name) === 'absent');
  if (absent.length > 0)
    throw new UsageError(
      `--modules: ${kernel.release} has no module ${absent.join(', ')} (neither a file nor built in)`,
    );
  return { share, modules: tree.resolve([...SHARE_MODULES[share], ...SHARE_EXTRAS[share], ...AUTOLOADED, ...wanted]) };
}

/** A guest that ended without its reports: the kernel's own last word when it left one (a panic or oops), else what is known. */
function describeEarlyEnd(consoleLog: string): string {
  const splat = existsSync(consoleLog) ? findSplats(readFileSync(consoleLog, 'utf8'))[0] : undefined;
  const said = splat ? `: ${splat.replace(/^\[[\s\d.]+\]\s*/, '')}` : ' (it crashed, panicked or powered off early)';
  return `the guest ended without reporting both runs${said}`;
}

/**
 * Why a guest run gave no verdicts, or null when both runs reported: an interrupt, a failed setup, the deadline,
 * or an early end. Kernel and image runs judge their guests alike.
 */
export function guestError(
  result: Extract<GuestResult, { phases: Phase[] }>,
  stoppedBy: string | null,
  codes: readonly (number | null)[],
  timeoutS: number,
  consoleLog: string,
): string | null {
  if (stoppedBy !== null) return `interrupted by ${stoppedBy}: the guest was killed`;
  if (result.setupFailure !== null) return `setting up the guest failed: ${result.setupFailure}`;
  if (result.status === 'timeout') return `the guest did not finish within ${timeoutS} s and was killed`;
  return codes.some((code) => code === null) ? describeEarlyEnd(consoleLog) : null;
}

/** Each phase's wall time and, where known, qemu's CPU time in it (what the guest cost, whatever else the host was doing). */
export function formatPhases(result: Extract<GuestResult, { phases: Phase[] }>): string {
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  const marks: Phase[] = [{ name: 'boot', atMs: 0, cpuMs: 0 }, ...result.phases];
  return marks
    .filter((mark) => mark.name !== 'end')
    .map((mark, index) => {
      const next = marks[index + 1];
      const cpu =
        next && mark.cpuMs !== null && next.cpuMs !== null ? ` (cpu ${seconds(next.cpuMs - mark.cpuMs)})` : '';
      return `${mark.name} ${seconds((next?.atMs ?? result.totalMs) - mark.atMs)}${cpu}`;
    })
    .join(', ');
}

async function bootAndRun(options: Options, workDir: string, interrupt: Interrupt): Promise<number> {
  const qemu = findTool(QEMU);
  const busybox = requireStaticBusybox();
  requireObserverBinary();
  const say = (line: string): boolean => process.stdout.write(`${line}\n`);
  const kernel = resolveKernel(options.kernel ?? '', workDir, kernelCache(), options.kernelModules);
  const tree = kernel.modulesDir ? new ModuleTree(kernel.modulesDir) : null;
  const { share, modules } = planModules(kernel, tree, options.guest.modules);
  if (!tree)
    say(
      `nsconform vm: no modules for ${kernel.release}; it must have ${SHARE_MODULES['9p'].join(', ')}${options.guest.modules.map((name) => `, ${name}`).join('')} built in`,
    );
  const outDir = makeReleaseDir(resolve('reports'), kernel.release);
  for (const file of REPORT_FILES) rmSync(join(outDir, file), { force: true });
  const properties = { 'vm.kernel': options.kernel ?? '', 'vm.share': share, ...describeSettings(options.guest) };
  const entry = await prepareGuestEntry(PROJECT_DIR, say);
  const disks = share === 'disk' ? buildHostDisk(workDir, PROJECT_DIR, outDir) : null;
  if (disks) say(`nsconform vm: ${kernel.release} has no 9p: the host tree goes in as an ext4 disk`);
  const choice = chooseAccel();
  const timeoutMs = caseTimeout(options, choice.accel);
  const init = writeGuestInit({
    modules: modules.map((module) => `${module.name}.ko`),
    share,
    projectDir: PROJECT_DIR,
    outDir,
    entry,
    runArgs: guestArgs(options, timeoutMs),
    userRunArgs: userRunArgs(options, timeoutMs),
    sysctls: options.guest.sysctls,
    properties,
  });
  const initrd = join(workDir, 'initramfs.cpio');
  writeFileSync(initrd, buildInitramfs(busybox, modules, init));

  let accel = choice.accel;
  say(`nsconform vm: booting ${kernel.release} with ${accel} (${choice.why}); console: ${join(outDir, 'console.log')}`);
  const boot = (chosen: typeof accel): Promise<GuestResult> =>
    runGuest({
      qemu,
      accel: chosen,
      image: kernel.image,
      initrd,
      outDir,
      disks,
      append: options.guest.append,
      consoleLog: join(outDir, 'console.log'),
      deadlineMs: options.vmTimeoutS * 1000,
      firstOutputMs: KVM_FIRST_OUTPUT_MS,
      echo: (line) => say(`guest| ${line}`),
      stop: interrupt.signal,
    });
  let result = await boot(accel);
  if (result.status === 'silent') {
    accel = 'tcg';
    say(`nsconform vm: the KVM guest printed nothing in ${KVM_FIRST_OUTPUT_MS / 1000} s; booting again with tcg`);
    result = await boot(accel);
  }
  if (result.status === 'silent') throw new EnvironmentError('the guest printed nothing');
  const stoppedBy = interrupt.received();
  if (disks) unpackReports(disks.reports, outDir);
  say(`nsconform vm: ${accel}, total ${(result.totalMs / 1000).toFixed(1)} s: ${formatPhases(result)}`);
  const codes = [readStatus(outDir, 'root'), readStatus(outDir, 'user')];
  const error = guestError(result, stoppedBy, codes, options.vmTimeoutS, join(outDir, 'console.log'));
  const health =
    error === null || existsSync(join(outDir, 'taint.after')) ? judgeHealth(outDir) : { problems: [], checked: false };
  const report = writeGuestReport(outDir, {
    release: kernel.release,
    seconds: result.totalMs / 1000,
    properties: { ...properties, 'vm.accel': accel },
    error,
    health: health.checked ? health.problems : null,
  });
  for (const problem of health.problems) process.stderr.write(`nsconform: ${kernel.release}: ${problem}\n`);
  if (error) {
    process.stderr.write(`nsconform: ${error}; see ${join(outDir, 'console.log')} (recorded in ${report})\n`);
    return stoppedBy !== null ? exitCodeForSignal(stoppedBy) : GUEST_FAILED;
  }
  say(`reports: ${outDir}/{root,user}.{junit.xml,json}, ${report}`);
  return Math.max(...(codes as number[]), health.problems.length > 0 ? 1 : 0);
}

/** SIGINT, SIGTERM or SIGHUP kill the guest and end the command the normal way, so its work directory is removed (it was left behind). */
export async function runInVm(options: Options): Promise<number> {
  const interrupt = catchInterrupts();
  try {
    return await withDir(({ path }) => bootAndRun(options, path, interrupt), {
      prefix: 'nsconform-vm-',
      unsafeCleanup: true,
    });
  } finally {
    interrupt.dispose();
  }
}
