// Killing a run (Node or one observer) and checking 3 s later that nothing of it is left: shared by the e2e test and scripts/kill-safety.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgroup2Mount } from '../harness/env/filesystems.ts';
import { isRunning, processStart } from '../harness/host/processes.ts';
import { IPC_KINDS, readIpcObjects } from '../harness/host/sysv-ipc.ts';
import { findJournalRoot } from '../harness/run/journal.ts';
import { addNamedObjects, type NamedObjects } from '../harness/run/observer-log.ts';

const CLI = new URL('../bin/nsconform.js', import.meta.url).pathname;

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function list(path: string, prefix: string): string[] {
  try {
    return readdirSync(path)
      .filter((name) => name.startsWith(prefix))
      .sort();
  } catch {
    return [];
  }
}

/** What the issue names: hostname, mounts, interfaces, SysV and POSIX IPC, /tmp and nsconform cgroups. */
export interface HostState {
  readonly uts: string;
  readonly mounts: string;
  readonly interfaces: string[];
  readonly sysv: string[];
  readonly mqueue: string[];
  readonly tmp: string[];
  readonly cgroups: string[];
}

export function hostState(): HostState {
  return {
    uts: `${hostname()} ${read('/proc/sys/kernel/domainname').trim()}`,
    mounts: read('/proc/1/mountinfo'),
    interfaces: list('/sys/class/net', ''),
    sysv: IPC_KINDS.flatMap((kind) => (readIpcObjects(kind) ?? []).map((object) => `${kind} ${object.id}`)).sort(),
    mqueue: list('/dev/mqueue', ''),
    tmp: list(tmpdir(), 'nsconform'),
    cgroups: list(cgroup2Mount(), 'nsconform'),
  };
}

interface Proc {
  readonly pid: number;
  readonly start: string;
}

/** The process and everything below it, with start times (so a reused pid is not mistaken for it later). */
export function processTree(root: number): Proc[] {
  const children = new Map<number, number[]>();
  for (const name of list('/proc', '')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const tree: Proc[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    const start = processStart(pid);
    if (start !== null) tree.push({ pid, start });
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** The run's journal directory, named after the Node process. */
export function journalDirOf(pid: number): string | null {
  const root = findJournalRoot(false);
  const name = list(root ?? '/nonexistent', `run-${pid}-`)[0];
  return root && name ? join(root, name) : null;
}

/** Everything the run's (or one observer's) journal named so far. */
export function namedBy(dir: string | null, observerPid?: number): NamedObjects {
  const named: NamedObjects = { ids: new Set(), keys: new Set() };
  for (const log of dir ? list(dir, 'observer-') : []) {
    const text = read(join(dir!, log));
    if (observerPid === undefined || text.startsWith(`observer ${observerPid} `)) addNamedObjects(text, named);
  }
  return named;
}

export interface Leftovers {
  readonly processes: number[];
  readonly objects: string[];
  readonly scratch: string[];
  readonly cgroups: string[];
  readonly journal: boolean;
}

/** What is still there of a killed run (or of one killed observer, when `observerPid` is given). */
export function leftovers(
  nodePid: number,
  processes: readonly Proc[],
  named: NamedObjects,
  observerPid?: number,
): Leftovers {
  const objects = IPC_KINDS.flatMap((kind) => readIpcObjects(kind) ?? []).filter(
    (object) => named.ids.has(`${object.kind} ${object.id}`) || (object.kind === 'msg' && named.keys.has(object.key)),
  );
  const own = new RegExp(`^nsconform-(?:[a-z]+-)?${nodePid}-`);
  return {
    processes: processes.filter((proc) => isRunning(proc.pid, proc.start)).map((proc) => proc.pid),
    objects: objects.map((object) => `${object.kind} ${object.id} key 0x${object.key.toString(16)}`),
    scratch: observerPid === undefined ? list(tmpdir(), `nsconform-scratch--${nodePid}-`) : [],
    cgroups:
      observerPid === undefined
        ? [
            ...new Set([
              ...list(cgroup2Mount(), 'nsconform-')
                .filter((name) => own.test(name))
                .map((name) => join(cgroup2Mount(), name)),
              ...claimCgroupsLeft(nodePid),
            ]),
          ]
        : caseCgroupsOf(nodePid, observerPid),
    journal: observerPid === undefined && journalDirOf(nodePid) !== null,
  };
}

/** The case cgroups one observer made below its run's cgroup (native/src/case_cgroup.c names them case-<observer pid>-<n>). */
function caseCgroupsOf(nodePid: number, observerPid: number): string[] {
  const runs = list(cgroup2Mount(), `nsconform-run-${nodePid}-`).map((name) => join(cgroup2Mount(), name));
  return runs.flatMap((run) => list(run, `case-${observerPid}-`).map((name) => join(run, name)));
}

/**
 * Every cgroup a cgroup claim of the run (named by its Node pid) made and left, anywhere under the cgroup2 mount:
 * nsconform-<word->-<pid>-… directories wherever they are, and any nsconform-* directory inside the run's own
 * cgroup (nsconform-run-<pid>-…). Other runs' cgroups are not looked into: a run beside this one is not this run.
 */
export function claimCgroupsLeft(nodePid: number): string[] {
  const own = new RegExp(`^nsconform-(?:[a-z]+-)?${nodePid}-`);
  const found: string[] = [];
  const walk = (dir: string, inRun: boolean, depth: number): void => {
    if (depth > 12) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      const isRun = entry.name.startsWith('nsconform-run-');
      if (isRun && !own.test(entry.name)) continue;
      if (!isRun && entry.name.startsWith('nsconform-') && (inRun || own.test(entry.name))) found.push(path);
      walk(path, inRun || isRun, depth + 1);
    }
  };
  walk(cgroup2Mount(), false, 0);
  return found;
}

export function isClean(left: Leftovers): boolean {
  return left.processes.length + left.objects.length + left.scratch.length + left.cgroups.length === 0 && !left.journal;
}

/** Milliseconds after `since` at which each part of the leftovers was first seen gone (null: still there at `limitMs`). */
export type CleanTimes = Record<keyof Leftovers, number | null>;

/** Polls the leftovers of a killed run every 20 ms until all are gone or `limitMs` have passed since `since`. */
export async function timeToClean(since: number, limitMs: number, look: () => Leftovers): Promise<CleanTimes> {
  const times: CleanTimes = { processes: null, objects: null, scratch: null, cgroups: null, journal: null };
  for (;;) {
    const left = look();
    const elapsed = Math.round(performance.now() - since);
    for (const part of Object.keys(times) as (keyof Leftovers)[]) {
      const gone = part === 'journal' ? !left.journal : (left[part] as readonly unknown[]).length === 0;
      if (gone && times[part] === null) times[part] = elapsed;
    }
    if (Object.values(times).every((time) => time !== null) || elapsed > limitMs) return times;
    await sleep(20);
  }
}

export function startRun(args: readonly string[]): ChildProcess {
  const run = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  run.stdout.resume();
  run.stderr.resume();
  return run;
}

/** The run's observers: its direct children running the observer binary (case processes are their children). */
export function observersOf(nodePid: number): number[] {
  return list('/proc', '')
    .filter((name) => {
      const stat = read(`/proc/${name}/stat`);
      return (
        /^\d+$/.test(name) &&
        Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === nodePid &&
        read(`/proc/${name}/comm`).startsWith('nsconform-obser')
      );
    })
    .map(Number);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
