// Turning --kernel into a bootable image, its modules and its release: an image, a .deb, or a package name.
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';
import { extractPackage, findPackageFile, fetchPackage, readKernelDepends, readPackageName } from './debian-package.ts';
import { findKernelTree } from './kernel-tree.ts';
import { releaseDirName } from './release-dir.ts';

export interface GuestKernel {
  readonly image: string;
  /** The kernel's modules/<release> directory, or null when it has none to offer. */
  readonly modulesDir: string | null;
  readonly release: string;
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

/** The family a split kernel's packages share: linux-{image,binary,modules}-<suffix>. */
const KERNEL_PACKAGE = /^linux-(image|binary|modules)-(.+)$/;

/**
 * The given package, the kernel packages it depends on, and (for split kernels) its siblings:
 * a linux-binary .deb alone names neither its modules nor the image package that pulls both in.
 */
function gatherPackages(deb: string, cacheDir: string): string[] {
  const found = new Map<string, string>([[readPackageName(deb), deb]]);
  const queue = [deb];
  const want = (name: string, required: boolean, from: string): void => {
    if (found.has(name)) return;
    const file =
      findPackageFile(name, [dirname(deb), cacheDir]) ??
      (required ? fetchPackage(name, cacheDir, `${basename(from)} depends on ${name}`) : tryFetch(name, cacheDir));
    if (!file) return;
    found.set(name, file);
    queue.push(file);
  };
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const name of readKernelDepends(current)) want(name, true, current);
  }
  const family = KERNEL_PACKAGE.exec(readPackageName(deb))?.[2];
  if (family && !found.has(`linux-image-${family}`))
    for (const kind of ['binary', 'modules']) want(`linux-${kind}-${family}`, false, deb);
  return [...found.values()];
}

function tryFetch(name: string, cacheDir: string): string | null {
  try {
    return fetchPackage(name, cacheDir, name);
  } catch {
    return null;
  }
}

function fromPackageFile(deb: string, workDir: string, cacheDir: string): GuestKernel {
  const root = join(workDir, 'kernel');
  const packages = gatherPackages(deb, cacheDir);
  for (const file of packages) extractPackage(file, root);
  const tree = findKernelTree(root);
  if (!tree)
    throw new UsageError(
      `--kernel ${deb}: ${packages.map((file) => basename(file)).join(', ')} hold no kernel image (boot/vmlinuz-* or usr/lib/modules/*/vmlinuz)`,
    );
  return tree;
}

function fromPackageName(name: string, workDir: string, cacheDir: string): GuestKernel {
  const deb = findPackageFile(name, [cacheDir]) ?? fetchPackage(name, cacheDir, `--kernel ${name}`);
  return fromPackageFile(deb, workDir, cacheDir);
}

function fromImage(image: string, modulesDir: string | null): GuestKernel {
  const release = readImageRelease(image);
  if (!release) throw new UsageError(`--kernel ${image}: not a bzImage/vmlinuz (no boot protocol header)`);
  if (modulesDir !== null) {
    if (!existsSync(modulesDir) || !statSync(modulesDir).isDirectory())
      throw new UsageError(`--kernel-modules ${modulesDir}: not a directory`);
    return { image, modulesDir, release };
  }
  // The release comes from the image: one that is not a plain path component names no module directory.
  const hostModules = releaseDirName(release) === release ? `/lib/modules/${release}` : null;
  return { image, modulesDir: hostModules && existsSync(hostModules) ? hostModules : null, release };
}

/**
 * @param modulesDir --kernel-modules: the modules of a bare image (else /lib/modules/<release> when the host has it).
 * @param cacheDir where downloaded packages are kept between runs.
 */
export function resolveKernel(
  spec: string,
  workDir: string,
  cacheDir: string,
  modulesDir: string | null = null,
): GuestKernel {
  if (existsSync(spec)) {
    if (!statSync(spec).isFile()) throw new UsageError(`--kernel ${spec}: not a file`);
    if (spec.endsWith('.deb')) {
      if (modulesDir !== null)
        throw new UsageError('--kernel-modules goes with a kernel image; a .deb brings its own modules');
      return fromPackageFile(spec, workDir, cacheDir);
    }
    return fromImage(spec, modulesDir);
  }
  if (KERNEL_PACKAGE.test(spec) && /^[\w.+~-]+$/.test(spec)) return fromPackageName(spec, workDir, cacheDir);
  throw new UsageError(`--kernel ${spec}: no such file, and not a Debian kernel package name (linux-image-…)`);
}
