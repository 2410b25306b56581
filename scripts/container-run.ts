// The whole suite in real Docker containers: docker.io's dockerd, started for this run in a directory of its own and removed after.
// Usage (as root): node --import tsx scripts/container-run.ts [report-dir]  — runs the default profile, then --cap-add SYS_ADMIN.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parseMountinfo } from '../harness/env/mount-table.ts';

const run = promisify(execFile);
const CHECKOUT = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
/** Debian's docker.io: the daemon and the client of the same version (another `docker` may come first in PATH). */
const DOCKERD = '/usr/sbin/dockerd';
const DOCKER = '/usr/bin/docker';
/** Directories dockerd and containerd make at fixed places; removed afterwards only when this run made them. */
const FIXED_DIRS = ['/run/docker', '/run/containerd'];
const CGROUP_ROOT = '/sys/fs/cgroup';

export interface Totals {
  pass: number;
  fail: number;
  skip: number;
  error: number;
}
export interface ContainerRun {
  readonly label: string;
  readonly dockerArgs: readonly string[];
  readonly code: number;
  readonly totals: Totals;
  readonly skips: string[];
  readonly failures: string[];
  readonly env: string;
  readonly seconds: number;
  readonly output: string;
}

/** The two profiles of the issue: Docker's defaults (seccomp profile, capabilities, masked and read-only paths), then with CAP_SYS_ADMIN. */
export const PROFILES: ReadonlyArray<{ label: string; args: string[] }> = [
  { label: 'default', args: [] },
  { label: 'cap-add-sys-admin', args: ['--cap-add', 'SYS_ADMIN'] },
];

/** Why the container run cannot happen here, or null. */
export function unavailableReason(): string | null {
  if (process.geteuid?.() !== 0) return 'needs root to start dockerd';
  for (const path of [DOCKERD, DOCKER]) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      return `${path} is not installed (apt-get install docker.io)`;
    }
  }
  return null;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Daemon {
  readonly dir: string;
  readonly socket: string;
  readonly cgroupParent: string;
  readonly process: ChildProcess;
  readonly madeDirs: string[];
  readonly cgroupDirsBefore: Set<string>;
}

function cgroupDirs(name: string): string[] {
  const roots = readdirSync(CGROUP_ROOT).map((entry) => join(CGROUP_ROOT, entry));
  return [join(CGROUP_ROOT, name), ...roots.map((root) => join(root, name))].filter((path) => existsSync(path));
}

async function docker(daemon: Daemon, args: string[], timeoutMs = 600_000): Promise<{ code: number; output: string }> {
  try {
    const done = await run(DOCKER, ['-H', `unix://${daemon.socket}`, ...args], {
      maxBuffer: 64 << 20,
      timeout: timeoutMs,
    });
    return { code: 0, output: done.stdout + done.stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : -1,
      output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    };
  }
}

/** dockerd without iptables or a bridge, every path of its own under one directory (its trust key too, via its config file). */
async function startDaemon(): Promise<Daemon> {
  const dir = mkdtempSync(join(tmpdir(), 'docker-nsconform-'));
  const socket = join(dir, 'docker.sock');
  const config = join(dir, 'daemon.json');
  writeFileSync(config, JSON.stringify({ 'deprecated-key-path': join(dir, 'key.json') }));
  const cgroupParent = `docker-nsconform-${process.pid}`;
  const madeDirs = FIXED_DIRS.filter((path) => !existsSync(path));
  const cgroupDirsBefore = new Set(cgroupDirs('docker'));
  const args = [
    '--iptables=false',
    '--ip6tables=false',
    '--bridge=none',
    '--data-root',
    join(dir, 'data'),
    '--exec-root',
    join(dir, 'exec'),
    '--pidfile',
    join(dir, 'dockerd.pid'),
    '-H',
    `unix://${socket}`,
    '--config-file',
    config,
    '--cgroup-parent',
    cgroupParent,
  ];
  const log = join(dir, 'dockerd.log');
  const child = spawn(DOCKERD, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
  const daemon: Daemon = { dir, socket, cgroupParent, process: child, madeDirs, cgroupDirsBefore };
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) break;
    if ((await docker(daemon, ['version'], 10_000)).code === 0) return daemon;
    await sleep(250);
  }
  writeFileSync(log, Buffer.concat(chunks));
  const tail = Buffer.concat(chunks).toString().trim().split('\n').slice(-3).join(' | ');
  await stopDaemon(daemon);
  throw new Error(
    `dockerd did not start (${child.exitCode === null ? 'no answer in 60 s' : `exit ${child.exitCode}`}): ${tail}`,
  );
}

/** Stops dockerd and removes all it made: its directory (after any mount left in it), its cgroups, the fixed dirs it created. */
async function stopDaemon(daemon: Daemon): Promise<void> {
  const child = daemon.process;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const deadline = performance.now() + 20_000;
    while (child.exitCode === null && child.signalCode === null && performance.now() < deadline) await sleep(100);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    while (child.exitCode === null && child.signalCode === null) await sleep(50);
  }
  const left = parseMountinfo(readFileSync('/proc/self/mountinfo', 'utf8')).filter((mount) =>
    mount.mountPoint.startsWith(`${daemon.dir}/`),
  );
  for (const mount of left.reverse()) await run('umount', ['-l', mount.mountPoint]).catch(() => undefined);
  rmSync(daemon.dir, { recursive: true, force: true });
  const removeTree = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true }))
      if (entry.isDirectory()) removeTree(join(path, entry.name));
    rmdirSync(path);
  };
  for (const path of [
    ...cgroupDirs(daemon.cgroupParent),
    ...cgroupDirs('docker').filter((path) => !daemon.cgroupDirsBefore.has(path)),
  ]) {
    try {
      removeTree(path);
    } catch {
      // still in use by a process of its own: not ours to kill
    }
  }
  for (const path of daemon.madeDirs) rmSync(path, { recursive: true, force: true });
}

/** An image with no files but the merged-/usr symlinks; the host's /usr and /etc and the checkout are bound in read-only. */
async function importImage(daemon: Daemon): Promise<{ image: string; binds: string[] }> {
  const root = join(daemon.dir, 'rootfs');
  const binds: string[] = [];
  for (const name of ['usr', 'etc', 'tmp', 'proc', 'sys', 'dev', 'run', 'out'])
    mkdirSync(join(root, name), { recursive: true });
  for (const name of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) {
    const info = lstatSync(`/${name}`, { throwIfNoEntry: false });
    if (info?.isSymbolicLink()) symlinkSync(`usr/${name}`, join(root, name));
    else if (info?.isDirectory()) binds.push('-v', `/${name}:/${name}:ro`);
  }
  const tar = join(daemon.dir, 'rootfs.tar');
  await run('tar', ['-C', root, '-cf', tar, '.']);
  const image = `docker-nsconform:${process.pid}`;
  const imported = await docker(daemon, ['import', tar, image]);
  if (imported.code !== 0) throw new Error(`docker import failed: ${imported.output.trim()}`);
  const node = dirname(process.execPath);
  if (!node.startsWith('/usr/')) binds.push('-v', `${node}:${node}:ro`);
  return { image, binds: [...binds, '-v', '/usr:/usr:ro', '-v', '/etc:/etc:ro', '-v', `${CHECKOUT}:${CHECKOUT}:ro`] };
}

function summarise(
  label: string,
  dockerArgs: string[],
  code: number,
  json: string,
  env: string,
  seconds: number,
  output: string,
): ContainerRun {
  let report: {
    summary: { totals: Totals };
    cases: Array<{ id: string; status: string; reason?: string; message?: string }>;
  };
  try {
    report = JSON.parse(readFileSync(json, 'utf8')) as typeof report;
  } catch {
    return {
      label,
      dockerArgs,
      code,
      totals: { pass: 0, fail: 0, skip: 0, error: 0 },
      skips: [],
      failures: [],
      env,
      seconds,
      output,
    };
  }
  const skips = report.cases.filter((entry) => entry.status === 'skip').map((entry) => entry.reason ?? '');
  const failures = report.cases
    .filter((entry) => entry.status === 'fail' || entry.status === 'error')
    .map((entry) => `${entry.id}: ${entry.message ?? ''}`);
  return { label, dockerArgs, code, totals: report.summary.totals, skips, failures, env, seconds, output };
}

/** `nsconform env` and a full run in a container per profile, with the network off; reports go to `reportDir`. */
export async function runInContainers(reportDir: string, profiles = PROFILES): Promise<ContainerRun[]> {
  mkdirSync(reportDir, { recursive: true });
  const daemon = await startDaemon();
  try {
    const { image, binds } = await importImage(daemon);
    const results: ContainerRun[] = [];
    for (const profile of profiles) {
      const base = [
        'run',
        '--rm',
        '--network',
        'none',
        ...profile.args,
        ...binds,
        '-v',
        `${reportDir}:/out`,
        '-w',
        CHECKOUT,
        image,
        'node',
        'bin/nsconform.js',
      ];
      const env = await docker(daemon, [...base, 'env']);
      const started = performance.now();
      const done = await docker(daemon, [
        ...base,
        '--json',
        `/out/${profile.label}.json`,
        '--junit',
        `/out/${profile.label}.junit.xml`,
        '--html',
        `/out/${profile.label}.html`,
      ]);
      results.push(
        summarise(
          profile.label,
          profile.args,
          done.code,
          join(reportDir, `${profile.label}.json`),
          env.output,
          (performance.now() - started) / 1000,
          done.output,
        ),
      );
    }
    return results;
  } finally {
    await stopDaemon(daemon);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const reason = unavailableReason();
  if (reason) {
    console.log(`container run skipped: ${reason}`);
    process.exit(0);
  }
  const reportDir = process.argv[2] ?? join(CHECKOUT, 'reports', 'containers');
  try {
    for (const result of await runInContainers(reportDir)) {
      const { pass, fail, skip, error } = result.totals;
      console.log(
        `\n== docker run ${result.dockerArgs.join(' ') || '(default profile)'} ==\n${result.env.trim()}\n-- ${pass} passed, ${fail} failed, ${skip} skipped, ${error} errors in ${result.seconds.toFixed(1)} s (exit ${result.code})`,
      );
      for (const failure of result.failures.slice(0, 10)) console.log(`   ${failure.split('\n')[0]}`);
    }
  } catch (error) {
    console.error(`container run: ${(error as Error).message}`);
    process.exit(2);
  }
}
