// Where an unpacked kernel package keeps its image and modules: boot/ and lib/modules, or (split, merged-/usr) usr/lib/modules/<release>/vmlinuz.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const MODULE_ROOTS = ['usr/lib/modules', 'lib/modules'];

function listDir(path: string): string[] {
  return existsSync(path) ? readdirSync(path) : [];
}

function findModulesDir(root: string, release: string): string | null {
  for (const base of MODULE_ROOTS) {
    const dir = join(root, base, release);
    if (existsSync(join(dir, 'kernel')) || existsSync(join(dir, 'modules.builtin'))) return dir;
  }
  return null;
}

export function findKernelTree(root: string): { image: string; modulesDir: string | null; release: string } | null {
  const boot = listDir(join(root, 'boot')).find((name) => name.startsWith('vmlinuz-'));
  if (boot) {
    const release = boot.slice('vmlinuz-'.length);
    return { image: join(root, 'boot', boot), modulesDir: findModulesDir(root, release), release };
  }
  for (const base of MODULE_ROOTS) {
    for (const release of listDir(join(root, base))) {
      const image = join(root, base, release, 'vmlinuz');
      if (existsSync(image)) return { image, modulesDir: findModulesDir(root, release), release };
    }
  }
  return null;
}
