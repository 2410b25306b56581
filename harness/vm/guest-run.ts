// Booting the guest in qemu: console to a log (and its key lines to the terminal), a deadline, KVM fallback.
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Accel } from './accel.ts';
import { GUEST_UP, PHASE, POWER_OFF, SETUP_FAILED } from './guest-init.ts';

export interface GuestRun {
  readonly qemu: string;
  readonly accel: Accel;
  readonly image: string;
  readonly initrd: string;
  readonly outDir: string;
  /** With a disk share: the ext4 image of the host tree and the raw report disk. */
  readonly disks: { root: string; reports: string } | null;
  /** Added to the kernel command line. */
  readonly append: string;
  readonly consoleLog: string;
  readonly deadlineMs: number;
  /** With KVM: how long to wait for the first console line before falling back to tcg. */
  readonly firstOutputMs: number;
  readonly echo: (line: string) => void;
  /** Settles when the user interrupts nsconform: the guest is killed at once. */
  readonly stop: Promise<unknown>;
}

/** A phase the guest announced, and when its line arrived (ms since qemu started). */
export interface Phase {
  readonly name: string;
  readonly atMs: number;
  /** qemu's CPU time so far: under emulation on a shared machine, the measure that load does not stretch. */
  readonly cpuMs: number | null;
}

/** utime + stime of a live process, from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms on Linux). */
function cpuMsOf(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

export type GuestResult =
  | {
      status: 'finished' | 'timeout' | 'interrupted';
      accel: Accel;
      bootMs: number | null;
      totalMs: number;
      phases: Phase[];
      setupFailure: string | null;
    }
  | { status: 'silent'; accel: Accel; totalMs: number };

/**
 * tcg on one host thread, emulating a CPU without AVX and protection keys. With multi-threaded tcg
 * (qemu 7.2, -smp 2) Node crashed here in a quarter of its starts (segfaults; wasm "memory access
 * out of bounds" and parse errors in tsx's lexer) while the files it read were intact; with
 * thread=single, 12 of 12 starts were clean. Slower, but a conformance run must not flake.
 */
const TCG_ACCEL = 'tcg,thread=single';
const TCG_CPU = 'Nehalem';

/** The accelerator, CPU, memory and console every guest gets, kernel or image. */
export function machineArgs(accel: Accel): string[] {
  return [
    ...(accel === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', TCG_ACCEL, '-cpu', TCG_CPU]),
    '-m',
    '2048',
    '-smp',
    '2',
    '-display',
    'none',
    '-monitor',
    'none',
    '-serial',
    'stdio',
    '-no-reboot',
  ];
}

/**
 * mitigations=off: under tcg every page-table switch of PTI flushes the emulated TLB; namespace
 * semantics do not depend on it, and it cut the guest's CPU time for the clone3 matrix by 28 %
 * (39.4 s to 28.1 s of qemu CPU). --append mitigations=auto puts it back (the last one counts).
 * no_timer_check: on a loaded host, tcg ticks too slowly for the IO-APIC timer check, and 6.12's
 * cloud kernel panicked at boot here with "IO-APIC + timer doesn't work!".
 */
export const KERNEL_PARAMETERS = 'console=ttyS0 panic=-1 loglevel=4 mitigations=off no_timer_check';

function qemuArgs(run: GuestRun): string[] {
  return [
    ...machineArgs(run.accel),
    '-kernel',
    run.image,
    '-initrd',
    run.initrd,
    '-append',
    `${KERNEL_PARAMETERS} ${run.append}`.trim(),
    ...(run.disks
      ? [
          '-drive',
          `file=${run.disks.root},if=virtio,format=raw,readonly=on`,
          '-drive',
          `file=${run.disks.reports},if=virtio,format=raw`,
        ]
      : [
          '-virtfs',
          'local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap',
          '-virtfs',
          `local,path=${run.outDir},mount_tag=out,security_model=none,multidevs=remap`,
        ]),
  ];
}

/** Lines worth showing live: the guest's own and nsconform's summary; the rest stays in the log. */
const SHOWN = /^(nsconform|\d+ passed|skipped \d+|FAIL|ERROR|suite|matrix|host|total|reports:|Kernel panic|BUG:|Oops)/;

export function runGuest(run: GuestRun): Promise<GuestResult> {
  return runQemu(run, [run.qemu, ...qemuArgs(run)]);
}

/** What running a guest needs besides qemu's arguments. */
export type QemuRun = Pick<GuestRun, 'accel' | 'consoleLog' | 'deadlineMs' | 'firstOutputMs' | 'echo' | 'stop'>;

/** Runs argv (qemu, or a wrapper that execs it in place), watching the console for the guest's marker lines. */
export function runQemu(run: QemuRun, argv: readonly string[]): Promise<GuestResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const log = createWriteStream(run.consoleLog);
    const child = spawn(argv[0] ?? '', argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let bootMs: number | null = null;
    const phases: Phase[] = [];
    let setupFailure: string | null = null;
    let sawOutput = false;
    let ending: 'timeout' | 'silent' | 'interrupted' | null = null;
    const kill = (why: 'timeout' | 'silent' | 'interrupted'): void => {
      ending ??= why;
      child.kill('SIGKILL');
    };
    void run.stop.then(() => kill('interrupted'));
    const deadline = setTimeout(() => kill('timeout'), run.deadlineMs);
    const silence = run.accel === 'kvm' ? setTimeout(() => !sawOutput && kill('silent'), run.firstOutputMs) : null;
    const onLine = (line: string): void => {
      sawOutput = true;
      log.write(`${line}\n`);
      const text = line.replace(/\r$/, '');
      if (bootMs === null && text.startsWith(GUEST_UP)) {
        bootMs = performance.now() - started;
        phases.push({ name: 'setup', atMs: bootMs, cpuMs: cpuMsOf(child.pid) });
      }
      if (text.startsWith(PHASE))
        phases.push({
          name: text.slice(PHASE.length).trim(),
          atMs: performance.now() - started,
          cpuMs: cpuMsOf(child.pid),
        });
      if (text.startsWith(POWER_OFF))
        phases.push({ name: 'end', atMs: performance.now() - started, cpuMs: cpuMsOf(child.pid) });
      if (setupFailure === null && text.startsWith(SETUP_FAILED)) setupFailure = text.slice(SETUP_FAILED.length).trim();
      if (SHOWN.test(text)) run.echo(text);
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', (line) => onLine(`qemu: ${line}`));
    child.on('close', () => {
      clearTimeout(deadline);
      if (silence) clearTimeout(silence);
      const totalMs = performance.now() - started;
      // Resolve once the log is on disk: the caller reads its last lines for a panic.
      log.end(() => {
        if (ending === 'silent') resolve({ status: 'silent', accel: run.accel, totalMs });
        else resolve({ status: ending ?? 'finished', accel: run.accel, bootMs, totalMs, phases, setupFailure });
      });
    });
  });
}
