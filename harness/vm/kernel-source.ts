// Turning --kernel into a bootable image, its modules and its release: an image, a .deb, or a package name.
import { spawnSync } from 'node:child_process';
import { existsSync, openSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { EnvironmentError, UsageError } from '../errors.ts';
import { APT_GET, DPKG_DEB, findTool } from './tools.ts';
import { releaseDirName } from './release-dir.ts';

export interface GuestKernel {
  readonly image: string;
  /** lib/modules/<release> of the kernel, or null when it has none to offer. */
  readonly modulesDir: string | null;
  readonly release: string;
}

function run(command: string, args: string[], cwd: string, what: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    const last = (result.stderr || result.stdout || '').trim().split('\n').pop() ?? '';
    throw new EnvironmentError(`${what} failed: ${last || `exit code ${result.status}`}`);
  }
}

/** The version string a bzImage carries (boot protocol: pointer at 0x20e, relative to 0x200). */
export function readImageRelease(image: string): string | null {
  const fd = openSync(image, 'r');
  try {
    const header = Buffer.alloc(0x210);
    readSync(fd, header, 0, header.length, 0);
    if (header.toString('latin1', 0x202, 0x206) !== 'HdrS') return null;
    const text = Buffer.alloc(256);
    readSync(fd, text, 0, text.length, header.readUInt16LE(0x20e) + 0x200);
    return text.toString('latin1').split(/[\s\0]/)[0] || null;
  } finally {
    closeSync(fd);
  }
}

function fromPackageFile(deb: string, workDir: string): GuestKernel {
  const root = join(workDir, 'kernel');
  run(findTool(DPKG_DEB), ['-x', deb, root], workDir, `dpkg-deb -x ${basename(deb)}`);
  const image = readdirSync(join(root, 'boot')).find((name) => name.startsWith('vmlinuz-'));
  if (!image) throw new UsageError(`--kernel ${deb}: the package holds no boot/vmlinuz-*`);
  const release = image.slice('vmlinuz-'.length);
  const modulesDir = join(root, 'lib', 'modules', release);
  return { image: join(root, 'boot', image), modulesDir: existsSync(modulesDir) ? modulesDir : null, release };
}

function fromPackageName(name: string, workDir: string): GuestKernel {
  run(findTool(APT_GET), ['download', name], workDir, `apt-get download ${name} (run "apt-get update" first if the package lists are old)`);
  const deb = readdirSync(workDir).find((file) => file.endsWith('.deb'));
  if (!deb) throw new EnvironmentError(`apt-get download ${name} left no .deb`);
  return fromPackageFile(join(workDir, deb), workDir);
}

function fromImage(image: string): GuestKernel {
  const release = readImageRelease(image);
  if (!release) throw new UsageError(`--kernel ${image}: not a bzImage/vmlinuz (no boot protocol header)`);
  // The release comes from the image: one that is not a plain path component names no module directory.
  const hostModules = releaseDirName(release) === release ? `/lib/modules/${release}` : null;
  return { image, modulesDir: hostModules && existsSync(hostModules) ? hostModules : null, release };
}

export function resolveKernel(spec: string, workDir: string): GuestKernel {
  if (existsSync(spec)) {
    if (!statSync(spec).isFile()) throw new UsageError(`--kernel ${spec}: not a file`);
    return spec.endsWith('.deb') ? fromPackageFile(spec, workDir) : fromImage(spec);
  }
  if (/^linux-image-[\w.+-]+$/.test(spec)) return fromPackageName(spec, workDir);
  throw new UsageError(`--kernel ${spec}: no such file, and not a Debian kernel package name (linux-image-…)`);
}
