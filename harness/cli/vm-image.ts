// nsconform vm --image I: boot a distribution's cloud image (its kernel, userspace and security policy) through an overlay, run the suite there, bring the reports back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError, UsageError } from '../errors.ts';
import { startJanitor } from '../run/janitor.ts';
import { RunJournal } from '../run/journal.ts';
import { chooseAccel, type Accel } from '../vm/accel.ts';
import { prepareGuestEntry } from '../vm/guest-entry.ts';
import { consoleTail, writeGuestReport } from '../vm/guest-failure.ts';
import { judgeHealth } from '../vm/guest-health.ts';
import { catchInterrupts, exitCodeForSignal, type Interrupt } from '../run/interrupt.ts';
import { KERNEL_PARAMETERS, machineArgs, runQemu, type GuestResult } from '../vm/guest-run.ts';
import { describeSettings } from '../vm/guest-settings.ts';
import { makeReportDisk, unpackReports } from '../vm/host-disk.ts';
import { downloadImage } from '../vm/image/download.ts';
import { writeImageGuestScript } from '../vm/image/guest-script.ts';
import { inspectImage, type CloudImage } from '../vm/image/image-file.ts';
import { SETPRIV } from '../vm/image/image-tools.ts';
import { makeOverlay } from '../vm/image/overlay.ts';
import { buildProjectDisk } from '../vm/image/project-disk.ts';
import { buildSeed } from '../vm/image/seed.ts';
import { makeReleaseDir } from '../vm/release-dir.ts';
import { QEMU, findTool } from '../vm/tools.ts';
import type { Options } from './args.ts';
import {
  AUTOLOADED,
  KVM_FIRST_OUTPUT_MS,
  REPORT_FILES,
  caseTimeout,
  formatPhases,
  guestArgs,
  guestError,
  readStatus,
  userRunArgs,
} from './vm.ts';

const PROJECT_DIR = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
/** A guest that never reports is not a kernel verdict: the harness's exit code (README's exit table). */
const EXIT_NO_REPORT = 3;

interface Disks {
  readonly overlay: string;
  readonly reports: string;
  readonly project: string;
  readonly seed: string;
}

/** Direct boot: the kernel the user copied out of the image, with its root= and the runner's parameters. */
function directBoot(options: Options): string[] {
  if (!options.imageKernel) return [];
  if (!/(^|\s)root=/.test(options.guest.append))
    throw new UsageError("--image-kernel needs --append 'root=…' (the image's root device, e.g. root=/dev/vda1)");
  const initrd = options.imageInitrd ? ['-initrd', resolve(options.imageInitrd)] : [];
  return [
    '-kernel',
    resolve(options.imageKernel),
    ...initrd,
    '-append',
    `${KERNEL_PARAMETERS} ${options.guest.append}`,
  ];
}

/**
 * The disks in this order, so the guest sees them as vda, vdb, …: the image's overlay, the report disk (vdb, where
 * the run script writes its tar stream), the checkout, the NoCloud seed. A user-mode NIC reaches the host's network
 * for the guest's package manager. setpriv --pdeathsig: a killed nsconform takes its guest with it.
 */
function qemuArgv(options: Options, accel: Accel, disks: Disks): string[] {
  return [
    findTool(SETPRIV),
    '--pdeathsig',
    'KILL',
    findTool(QEMU),
    ...machineArgs(accel),
    '-drive',
    `file=${disks.overlay},if=virtio,format=qcow2`,
    '-drive',
    `file=${disks.reports},if=virtio,format=raw`,
    '-drive',
    `file=${disks.project},if=virtio,format=raw`,
    '-drive',
    `file=${disks.seed},if=virtio,format=raw,readonly=on`,
    '-nic',
    'user,model=virtio-net-pci',
    ...directBoot(options),
  ];
}

async function resolveImage(options: Options, say: (line: string) => void): Promise<CloudImage> {
  const given = options.image ?? '';
  return inspectImage(/^[a-z]+:\/\//i.test(given) ? await downloadImage(given, say) : given);
}

const say = (line: string): boolean => process.stdout.write(`${line}\n`);

async function bootAndRun(options: Options, image: CloudImage, workDir: string, interrupt: Interrupt): Promise<number> {
  const outDir = makeReleaseDir(resolve('reports'), image.name);
  for (const file of REPORT_FILES) rmSync(join(outDir, file), { force: true });
  const boot = options.imageKernel ? `direct: ${options.imageKernel}` : "the image's own bootloader";
  const properties = {
    'vm.image': image.path,
    'vm.boot': boot,
    'vm.share': 'disk',
    ...describeSettings(options.guest),
  };
  const choice = chooseAccel();
  const timeoutMs = caseTimeout(options, choice.accel);
  const entry = await prepareGuestEntry(PROJECT_DIR, say);
  const script = writeImageGuestScript({
    entry,
    runArgs: guestArgs(options, timeoutMs),
    userRunArgs: userRunArgs(options, timeoutMs),
    sysctls: options.guest.sysctls,
    properties,
    modules: options.guest.modules,
    autoloaded: AUTOLOADED,
    nodeVersion: process.versions.node,
  });
  const disks: Disks = {
    overlay: makeOverlay(image, workDir),
    reports: makeReportDisk(workDir),
    project: buildProjectDisk(workDir, PROJECT_DIR, script),
    seed: buildSeed(workDir),
  };
  const consoleLog = join(outDir, 'console.log');
  let accel = choice.accel;
  say(
    `nsconform vm: booting ${image.path} (${image.format}, ${boot}) over an overlay with ${accel} (${choice.why}); console: ${consoleLog}`,
  );
  const run = (chosen: Accel): Promise<GuestResult> =>
    runQemu(
      {
        accel: chosen,
        consoleLog,
        deadlineMs: options.vmTimeoutS * 1000,
        firstOutputMs: KVM_FIRST_OUTPUT_MS,
        echo: (line) => say(`guest| ${line}`),
        stop: interrupt.signal,
      },
      qemuArgv(options, chosen, disks),
    );
  let result = await run(accel);
  if (result.status === 'silent') {
    accel = 'tcg';
    say(`nsconform vm: the KVM guest printed nothing in ${KVM_FIRST_OUTPUT_MS / 1000} s; booting again with tcg`);
    result = await run(accel);
  }
  if (result.status === 'silent') throw new EnvironmentError('the guest printed nothing');
  const stoppedBy = interrupt.received();
  unpackReports(disks.reports, outDir);
  say(`nsconform vm: ${accel}, total ${(result.totalMs / 1000).toFixed(1)} s: ${formatPhases(result)}`);
  const codes = [readStatus(outDir, 'root'), readStatus(outDir, 'user')];
  const error = guestError(result, stoppedBy, codes, options.vmTimeoutS, consoleLog);
  const health = error === null ? judgeHealth(outDir) : { problems: [], checked: false };
  const release = image.name;
  const report = writeGuestReport(outDir, {
    release,
    seconds: result.totalMs / 1000,
    properties: { ...properties, 'vm.accel': accel },
    error,
    health: health.checked ? health.problems : null,
  });
  for (const problem of health.problems) process.stderr.write(`nsconform: ${release}: ${problem}\n`);
  if (error) {
    process.stderr.write(
      `nsconform: ${error} (recorded in ${report}); the console's last lines (${consoleLog}):\n${consoleTail(outDir)}\n`,
    );
    return stoppedBy !== null ? exitCodeForSignal(stoppedBy) : EXIT_NO_REPORT;
  }
  say(`reports: ${outDir}/{root,user}.{junit.xml,json}, ${report}`);
  return Math.max(...(codes as number[]), health.problems.length > 0 ? 1 : 0);
}

/**
 * The overlay, seed and disks live in a private directory named in the run's journal: removed at the end, and by
 * the janitor (or the next run, or nsconform clean) if nsconform is killed — the image itself is only ever read.
 */
export async function runImageInVm(options: Options): Promise<number> {
  const image = await resolveImage(options, say);
  directBoot(options);
  const journal = RunJournal.open();
  const janitor = startJanitor(journal.dir);
  const workDir = mkdtempSync(join(tmpdir(), 'nsconform-vm-image-'));
  journal.noteScratch(workDir);
  // SIGINT, SIGTERM or SIGHUP kill the guest and end the command the normal way, so the overlay goes with it.
  const interrupt = catchInterrupts();
  try {
    return await bootAndRun(options, image, workDir, interrupt);
  } finally {
    interrupt.dispose();
    rmSync(workDir, { recursive: true, force: true });
    journal.close();
    janitor.release();
  }
}
