// Kernel modules a guest needs, with their dependencies, read from each module's .modinfo strings.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.ts';
import { readModuleFile } from './module-file.ts';

export interface GuestModule {
  readonly name: string;
  readonly path: string;
  /** The module uncompressed: the guest's insmod needs no decompressor and no kernel support for one. */
  readonly data: Buffer;
}

/** What a kernel has of one module: compiled in, a file to load, or nothing. */
export type ModuleState = 'builtin' | 'module' | 'absent';

const MODULE_FILE = /\.ko(\.(xz|zst|gz))?$/;

export function moduleName(file: string): string {
  return file.replace(MODULE_FILE, '').replace(/-/g, '_');
}

function listModuleFiles(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (MODULE_FILE.test(entry.name)) found.set(moduleName(entry.name), path);
    }
  };
  walk(dir);
  return found;
}

/** modules.builtin lists what is compiled in (kernel/fs/ext4/ext4.ko), one path a line. */
function listBuiltin(dir: string): Set<string> {
  const file = join(dir, 'modules.builtin');
  if (!existsSync(file)) return new Set();
  return new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => moduleName(line.split('/').pop() ?? '')),
  );
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

/** One kernel's modules directory: what it has, and the files to load for a wanted set. */
export class ModuleTree {
  private readonly files: Map<string, string>;
  private readonly builtin: Set<string>;

  constructor(dir: string) {
    this.files = listModuleFiles(dir);
    this.builtin = listBuiltin(dir);
  }

  /** Without modules.builtin a missing file is taken as built in, as before: the kernel is the judge then. */
  state(name: string): ModuleState {
    const key = name.replace(/-/g, '_');
    if (this.files.has(key)) return 'module';
    if (this.builtin.has(key) || this.builtin.size === 0) return 'builtin';
    return 'absent';
  }

  /** Modules to load, dependencies first; built-in ones need no file. */
  resolve(wanted: readonly string[]): GuestModule[] {
    const ordered: GuestModule[] = [];
    const seen = new Set<string>();
    const visit = (name: string, chain: string[]): void => {
      if (seen.has(name)) return;
      if (chain.includes(name)) throw new EnvironmentError(`module dependency loop: ${[...chain, name].join(' → ')}`);
      const path = this.files.get(name);
      if (!path) return;
      const data = readModuleFile(path);
      for (const dependency of readDependencies(data)) visit(dependency, [...chain, name]);
      seen.add(name);
      ordered.push({ name, path, data });
    };
    for (const name of wanted) visit(name.replace(/-/g, '_'), []);
    return ordered;
  }
}

/** Kept for callers with one directory and one list. */
export function resolveModules(modulesDir: string, wanted: readonly string[]): GuestModule[] {
  return new ModuleTree(modulesDir).resolve(wanted);
}
