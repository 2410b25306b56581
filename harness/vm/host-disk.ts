// For kernels without 9p: what the guest run needs of the host's tree, on an ext4 image (mkfs.ext4 -d), and a raw disk for the reports.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { EnvironmentError } from '../errors.ts';
import { MKFS_EXT4, findTool } from './tools.ts';

/** Programs, their libraries and configuration; the merged-/usr links at the top are recreated as links. */
const HOST_DIRS = ['/etc', '/usr/bin', '/usr/sbin', '/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/libexec'];
const TOP_LINKS = ['/bin', '/sbin', '/lib', '/lib64', '/lib32', '/libx32'];
/** Not carried: history, old reports and the guest's own mount points. */
const PROJECT_SKIP = new Set(['.git', 'reports']);
export const REPORT_DISK_BYTES = 64 * 1024 * 1024;

function sh(command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.error || result.status !== 0)
    throw new EnvironmentError(
      `${what} failed: ${(result.stderr || '').trim().split('\n').pop() || result.error?.message || `exit code ${result.status}`}`,
    );
}

/** Hard links where host and staging share a filesystem (no copying), a copy where they do not. */
export function stage(source: string, staging: string): void {
  if (!existsSync(source)) return;
  const target = join(staging, source);
  mkdirSync(dirname(target), { recursive: true });
  if (lstatSync(source).isSymbolicLink()) {
    symlinkSync(readlinkSync(source), target);
    return;
  }
  const linked = spawnSync('cp', ['-a', '--link', source, target]);
  if (linked.status === 0) return;
  rmSync(target, { recursive: true, force: true });
  sh('cp', ['-a', source, target], `copying ${source} for the guest disk`);
}

function sizeOf(dir: string): number {
  const result = spawnSync('du', ['-sk', dir], { encoding: 'utf8' });
  return Number.parseInt(result.stdout, 10) * 1024;
}

export function buildHostDisk(workDir: string, projectDir: string, outDir: string): { root: string; reports: string } {
  const staging = join(workDir, 'tree');
  for (const link of TOP_LINKS) if (existsSync(link)) stage(link, staging);
  for (const dir of HOST_DIRS) stage(dir, staging);
  for (const entry of readdirSync(projectDir)) if (!PROJECT_SKIP.has(entry)) stage(join(projectDir, entry), staging);
  for (const dir of ['proc', 'sys', 'dev', 'run', 'tmp', join(projectDir, 'reports').slice(1), outDir.slice(1)])
    mkdirSync(join(staging, dir), { recursive: true });
  const root = join(workDir, 'host.ext4');
  makeExt4Image(staging, root, 'nsconform-host', 'the host tree for a kernel without 9p');
  return { root, reports: makeReportDisk(workDir) };
}

/** An ext4 image of a staging directory (then removed), sized to fit it. */
export function makeExt4Image(staging: string, image: string, label: string, what: string): void {
  // No metadata checksums: an ext4 module loads crc32c through the crypto API, not by its depends= (5.10: "Cannot load crc32c driver").
  // Room for the files and their metadata; the image is sparse, so the margin costs nothing on disk.
  const bytes = Math.ceil((sizeOf(staging) * 1.3 + 256 * 1024 * 1024) / 4096) * 4096;
  sh(
    findTool(MKFS_EXT4),
    ['-q', '-F', '-O', '^has_journal,^metadata_csum', '-L', label, '-d', staging, image, `${bytes / 1024}k`],
    `mkfs.ext4 -d (${what})`,
  );
  rmSync(staging, { recursive: true, force: true });
}

/** The raw disk the guest writes its reports over as a tar stream. */
export function makeReportDisk(workDir: string): string {
  const reports = join(workDir, 'reports.tar');
  writeFileSync(reports, '');
  spawnSync('truncate', ['-s', String(REPORT_DISK_BYTES), reports]);
  return reports;
}

/** The guest wrote a tar stream over the report disk; an untouched (zero) disk holds no files. */
export function unpackReports(reports: string, outDir: string): void {
  spawnSync('tar', ['-xf', reports, '-C', outDir], { encoding: 'utf8' });
}
