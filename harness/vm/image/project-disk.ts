// The checkout on an ext4 disk for a cloud image's guest: sources, the bundled runner, production dependencies, the guest script and this host's node.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeExt4Image, stage } from '../host-disk.ts';
import { GUEST_BUNDLE } from '../guest-entry.ts';
import { GUEST_SCRIPT, PROJECT_LABEL } from './seed.ts';

/**
 * Not carried: history, old reports, dependencies (only production ones are, below) and the host's builds — the
 * guest compiles the observer against its own headers and C library; the bundled runner is plain JavaScript.
 */
const SKIP = new Set(['.git', 'reports', 'node_modules', 'native']);
/** Beside start.sh: Node's last resort in a guest whose distribution has none new enough and no network. */
export const HOST_NODE = '.nsconform-guest/node';

/** node_modules/… entries package-lock.json does not mark dev, that this checkout has installed. */
export function productionModules(projectDir: string): string[] {
  const lock = JSON.parse(readFileSync(join(projectDir, 'package-lock.json'), 'utf8')) as {
    packages?: Record<string, { dev?: boolean }>;
  };
  return Object.entries(lock.packages ?? {})
    .filter(([path, entry]) => path.startsWith('node_modules/') && !entry.dev)
    .map(([path]) => path)
    .filter((path) => existsSync(join(projectDir, path)));
}

export function buildProjectDisk(workDir: string, projectDir: string, guestScript: string): string {
  // stage() recreates a file's absolute path below its staging root: the checkout's copy is that root + projectDir.
  const stagingRoot = join(workDir, 'project-staging');
  const root = join(stagingRoot, projectDir);
  mkdirSync(root, { recursive: true, mode: 0o755 });
  chmodSync(root, 0o755);
  const carry = (relative: string): void => stage(join(projectDir, relative), stagingRoot);
  for (const entry of readdirSync(projectDir)) if (!SKIP.has(entry)) carry(entry);
  for (const entry of readdirSync(join(projectDir, 'native'))) if (entry !== 'build') carry(join('native', entry));
  carry(GUEST_BUNDLE);
  for (const module of productionModules(projectDir)) carry(module);
  mkdirSync(join(root, dirname(GUEST_SCRIPT)), { recursive: true });
  writeFileSync(join(root, GUEST_SCRIPT), guestScript, { mode: 0o755 });
  copyFileSync(process.execPath, join(root, HOST_NODE));
  chmodSync(join(root, HOST_NODE), 0o755);
  const disk = join(workDir, 'project.ext4');
  makeExt4Image(root, disk, PROJECT_LABEL, 'the checkout for the guest');
  return disk;
}
