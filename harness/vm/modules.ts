// Kernel modules a guest needs, with their dependencies, read from each module's .modinfo strings.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.ts';

/** What the guest loads to mount the host's tree over virtio 9p, as virtme-ng does. */
export const GUEST_MODULES = ['virtio_pci', '9pnet_virtio', '9p'];

function listModuleFiles(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ko')) found.set(entry.name.slice(0, -3).replace(/-/g, '_'), path);
    }
  };
  walk(dir);
  return found;
}

/** The "depends=a,b" string every module carries in its .modinfo section. */
export function readDependencies(module: Buffer): string[] {
  const marker = Buffer.from('\0depends=');
  const at = module.indexOf(marker);
  if (at < 0) return [];
  const end = module.indexOf(0, at + marker.length);
  return module
    .subarray(at + marker.length, end)
    .toString('latin1')
    .split(',')
    .filter(Boolean)
    .map((name) => name.replace(/-/g, '_'));
}

/**
 * Modules to load, dependencies first. A wanted module that is not a file is taken as built in
 * (=y), which is what a missing .ko means in a kernel package.
 */
export function resolveModules(modulesDir: string, wanted: readonly string[]): Array<{ name: string; path: string }> {
  const files = listModuleFiles(modulesDir);
  const ordered: Array<{ name: string; path: string }> = [];
  const seen = new Set<string>();
  const visit = (name: string, chain: string[]): void => {
    if (seen.has(name)) return;
    if (chain.includes(name)) throw new EnvironmentError(`module dependency loop: ${[...chain, name].join(' → ')}`);
    const path = files.get(name);
    if (!path) return;
    for (const dependency of readDependencies(readFileSync(path))) visit(dependency, [...chain, name]);
    seen.add(name);
    ordered.push({ name, path });
  };
  for (const name of wanted) visit(name, []);
  return ordered;
}
