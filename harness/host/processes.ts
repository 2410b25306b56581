// Processes by pid and process group, told apart from a later process that reuses the pid by their start time.
import { readdirSync } from 'node:fs';
import { readProcText } from '../env/host-facts.ts';

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | null {
  const text = readProcText(`/proc/${pid}/stat`);
  if (text === null) return null;
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** Field 22, start time in clock ticks since boot, as text; null when there is no such process. */
export function processStart(pid: number): string | null {
  return statFields(pid)?.[19] ?? null;
}

/** Whether the process that had `start` as its start time is still there (and not a zombie). */
export function isRunning(pid: number, start: string): boolean {
  const fields = statFields(pid);
  return fields !== null && fields[19] === start && fields[0] !== 'Z';
}

/** Every live process whose process group is `pgid`. */
export function processesInGroup(pgid: number): number[] {
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(Number(name));
    if (fields && Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(name));
  }
  return members;
}

/**
 * SIGKILLs what is left of a process group the journal recorded with its leader's start time. While any
 * member lives the pid cannot be reused; so if a process has that pid, it must be the same leader.
 */
export function killRecordedGroup(pgid: number, leaderStart: string): number {
  const leader = processStart(pgid);
  if (leader !== null && leader !== leaderStart) return 0;
  const members = processesInGroup(pgid);
  if (members.length === 0) return 0;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    return 0;
  }
  return members.length;
}
