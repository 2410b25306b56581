// The run's cgroup: where root may make one in the cgroup v2 tree, each case gets a child of it (native/src/case_cgroup.c).
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { cgroup2Mount } from '../env/filesystems.ts';
import { no, yes, type Probe } from '../env/probe.ts';

export type CgroupPlace =
  { readonly ok: true; readonly parent: string } | { readonly ok: false; readonly reason: string };

const WITHOUT = 'each case ends with its PID namespace (or, uncontained, its process group) instead';

/** cgroup.kill came in Linux 5.14; a non-root cgroup shows whether this kernel has it. */
function hasCgroupKill(parent: string, mount: string): boolean {
  if (parent !== mount) return existsSync(join(parent, 'cgroup.kill'));
  const [major = 0, minor = 0] = release().split('.').map(Number);
  return major > 5 || (major === 5 && minor >= 14);
}

/** How a case cgroup's processes are ended on this kernel, for `nsconform env`. */
function endedBy(parent: string): string {
  return hasCgroupKill(parent, cgroup2Mount())
    ? 'ended with cgroup.kill'
    : 'ended by SIGKILL to each process its cgroup.procs lists (no cgroup.kill before Linux 5.14)';
}

/** The runner's own cgroup v2 directory, from /proc/self/cgroup's "0::" line; null when it has none or it lies outside the mount. */
function ownCgroup(mount: string): string | null {
  let text: string;
  try {
    text = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return null;
  }
  const path = /^0::(\/.*)$/m.exec(text)?.[1];
  if (path === undefined || path.split('/').includes('..')) return null;
  return path === '/' ? mount : join(mount, path);
}

/**
 * Below the runner's own cgroup, so cases stay inside whatever limits it has (a systemd slice, a CI job): allowed
 * there since the run's cgroup enables no controller. Only root, with cgroup v2 mounted writable (cgroup.kill is
 * used where the kernel has it, 5.14 on; before, the processes listed are killed one by one).
 */
export function cgroupPlace(): CgroupPlace {
  if ((process.geteuid?.() ?? 0) !== 0) return { ok: false, reason: 'the runner is not root' };
  const mounted = readFileSync('/proc/self/mountinfo', 'utf8').includes(' - cgroup2 ');
  if (!mounted) return { ok: false, reason: 'no cgroup v2 hierarchy is mounted' };
  const mount = cgroup2Mount();
  const parent = ownCgroup(mount);
  if (parent === null || !existsSync(parent))
    return {
      ok: false,
      reason: `the runner's cgroup v2 directory is not under ${mount} (another cgroup namespace's mount)`,
    };
  try {
    accessSync(parent, constants.W_OK);
  } catch (error) {
    return {
      ok: false,
      reason: `${parent} is not writable (${(error as NodeJS.ErrnoException).code ?? 'error'}: a container's read-only cgroup mount, say)`,
    };
  }
  return { ok: true, parent };
}

let made: CgroupPlace | null = null;

/** What this process's run does: the place it used, or why it has none (before a run: what one would do). */
export function describeCgroupPlace(): string {
  const place = made ?? cgroupPlace();
  return place.ok
    ? `each case in a cgroup of its own below ${place.parent}, ${endedBy(place.parent)}`
    : `none: ${place.reason}; ${WITHOUT}`;
}

/**
 * Whether each case has a cgroup of its own (the run's or, before a run, the one it would make): claims that make
 * cgroups make them below it ({cgroup}), so the case's end removes them however it ends.
 */
export function probeCaseCgroup(): Probe {
  const place = made ?? cgroupPlace();
  return place.ok ? yes(`each case has a cgroup of its own below ${place.parent}`) : no(place.reason);
}

/** Makes the run's cgroup (named in the journal first, by `note`); null when there is no place for one. */
export function makeRunCgroup(name: string, note: (path: string) => void): string | null {
  const place = cgroupPlace();
  if (!place.ok) {
    made = place;
    return null;
  }
  const path = join(place.parent, name);
  note(path);
  try {
    // 0755 like every cgroup: a dropped case reads its own through it; only root may write a cgroup's files.
    mkdirSync(path, { mode: 0o755 });
  } catch (error) {
    made = {
      ok: false,
      reason: `making ${path} failed with ${(error as NodeJS.ErrnoException).code ?? 'an error'}`,
    };
    return null;
  }
  made = { ok: true, parent: path };
  return path;
}

/** SIGKILL to every process a cgroup lists (what cgroup.kill does, for kernels without it). */
function killListed(path: string): void {
  let listed: string;
  try {
    listed = readFileSync(join(path, 'cgroup.procs'), 'utf8');
  } catch {
    return;
  }
  for (const pid of listed.split('\n').filter(Boolean).map(Number))
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
}

/** A cgroup tree, leaves first, each killed (cgroup.kill) before its removal; throws what rmdir says. */
export function removeCgroupTree(path: string): void {
  for (const entry of readdirSync(path, { withFileTypes: true }))
    if (entry.isDirectory()) removeCgroupTree(join(path, entry.name));
  try {
    writeFileSync(join(path, 'cgroup.kill'), '1');
  } catch {
    // No cgroup.kill (Linux < 5.14): each listed process instead; rmdir says whether any remain.
    killListed(path);
  }
  // A killed process leaves its cgroup as it exits, a moment after the kill.
  for (let tries = 0; ; tries++) {
    try {
      rmdirSync(path);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EBUSY' || tries >= 100) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}
