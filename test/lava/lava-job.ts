// One lava-run job over nsconform's LAVA test definition: kernel, ramdisk, device and job written to a work dir, lava-run's log read back.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernelCache } from '../../harness/cli/vm.ts';
import { probeBusybox } from '../../harness/env/busybox.ts';
import { prepareGuestEntry } from '../../harness/vm/guest-entry.ts';
import { resolveKernel } from '../../harness/vm/kernel-source.ts';
import { PYTHON, type Dispatcher } from './dispatcher.ts';
import { buildLavaRamdisk } from './guest-ramdisk.ts';
import { deviceYaml, GUEST_OUT, jobYaml } from './job.ts';

export const PROJECT_DIR = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
/** The kernel .ci/run boots with nsconform vm: the newest cached 6.1 image, else the package name. */
const KERNEL_PACKAGE = 'linux-image-6.1.0-56-amd64';
const DISPATCHER_TMP = '/var/lib/lava/dispatcher/tmp';

export interface LavaJobRequest {
  readonly workDir: string;
  /** Host directory the guest writes nsconform's reports into. */
  readonly outDir: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly testMinutes: number;
}

export interface LavaJobResult {
  readonly exitCode: number | null;
  /** lava-run's YAML log (its stderr), also in workDir/lava.log. */
  readonly log: string;
  readonly seconds: number;
  readonly kernelRelease: string;
}

/** What lava-run leaves on the host: its job's tmp dir, and the directories above it when nothing else is in them. */
function removeDispatcherTmp(jobId: string): void {
  rmSync(join(DISPATCHER_TMP, jobId), { recursive: true, force: true });
  for (let dir = DISPATCHER_TMP; dir !== '/var/lib'; dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
  }
}

function newestCachedKernel(): string {
  try {
    const found = readdirSync(kernelCache())
      .filter((name) => /^linux-image-6\.1\.0-\d+-amd64_.*\.deb$/.test(name))
      .sort();
    if (found.length > 0) return join(kernelCache(), found[found.length - 1] as string);
  } catch {
    // no cache yet: a package name, downloaded by resolveKernel
  }
  if (spawnSync('apt-cache', ['show', KERNEL_PACKAGE]).status === 0) return KERNEL_PACKAGE;
  // A later point release may have replaced it on the mirror, as .ci/run allows for.
  const listed =
    spawnSync('apt-cache', ['search', '--names-only', '^linux-image-6\\.1\\.0-[0-9]+-amd64$'], { encoding: 'utf8' })
      .stdout ?? '';
  const names = listed
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter(Boolean);
  names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return names.at(-1) ?? KERNEL_PACKAGE;
}

export async function runLavaJob(dispatcher: Dispatcher, request: LavaJobRequest): Promise<LavaJobResult> {
  const busybox = probeBusybox();
  if (busybox.state !== 'yes') throw new Error(busybox.detail);
  const kernel = resolveKernel(newestCachedKernel(), request.workDir, kernelCache());
  const ramdisk = join(request.workDir, 'ramdisk.cpio.gz');
  writeFileSync(ramdisk, buildLavaRamdisk(busybox.detail, kernel.modulesDir));
  const device = join(request.workDir, 'device.yaml');
  writeFileSync(device, deviceYaml(request.outDir));
  const job = join(request.workDir, 'job.yaml');
  writeFileSync(
    job,
    jobYaml({
      kernel: kernel.image,
      ramdisk,
      definition: join(PROJECT_DIR, 'lava', 'nsconform.yaml'),
      parameters: {
        NSCONFORM: PROJECT_DIR,
        ENTRY: await prepareGuestEntry(PROJECT_DIR, () => undefined),
        OUTPUT: GUEST_OUT,
        ...request.parameters,
      },
      testMinutes: request.testMinutes,
    }),
  );
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // lava-run keeps its job's files in /var/lib/lava/dispatcher/tmp/<job id>: ours, so concurrent runs do not meet.
    const child = spawn(
      PYTHON,
      [
        dispatcher.lavaRun,
        '--job-id',
        String(process.pid),
        '--output-dir',
        join(request.workDir, 'output'),
        '--device',
        device,
        job,
      ],
      {
        env: { ...process.env, PYTHONPATH: dispatcher.pythonPath },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const file = createWriteStream(join(request.workDir, 'lava.log'));
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => file.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      file.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (exitCode) => {
      file.end();
      removeDispatcherTmp(String(process.pid));
      resolve({
        exitCode,
        log: Buffer.concat(chunks).toString('utf8'),
        seconds: (performance.now() - started) / 1000,
        kernelRelease: kernel.release,
      });
    });
  });
}
