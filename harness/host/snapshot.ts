// The host snapshot: what the suite must never change, read before and after a run and compared (SysV IPC: ipc-check.ts).
import { readdirSync } from 'node:fs';
import { readProcText } from '../env/host-facts.ts';
import { attributeChanges, type Attributed } from './attribution.ts';

export type HostSnapshot = Record<string, string>;

/** Mount IDs and peer groups are stable, so mountinfo can be compared line by line as it stands. */
function readSection(path: string): string {
  return readProcText(path) ?? '(unreadable)';
}

function readInterfaces(): string {
  try {
    return readdirSync('/sys/class/net')
      .sort()
      .map((name) => `${name} flags=${readProcText(`/sys/class/net/${name}/flags`)?.trim() ?? '?'}`)
      .join('\n');
  } catch {
    return readSection('/proc/net/dev');
  }
}

function readUserLimits(): string {
  try {
    return readdirSync('/proc/sys/user')
      .sort()
      .map((name) => `${name}=${readProcText(`/proc/sys/user/${name}`)?.trim() ?? '?'}`)
      .join('\n');
  } catch {
    return '(unreadable)';
  }
}

export function takeHostSnapshot(): HostSnapshot {
  return {
    hostname: readSection('/proc/sys/kernel/hostname'),
    domainname: readSection('/proc/sys/kernel/domainname'),
    mounts: readSection('/proc/self/mountinfo'),
    interfaces: readInterfaces(),
    'sys/user': readUserLimits(),
  };
}

/**
 * One line per changed section, naming the lines that went and came: in `run` what this run could have changed,
 * in `elsewhere` mounts and interfaces other programs made or removed meanwhile (attribution.ts).
 */
export function diffHostSnapshots(
  before: HostSnapshot,
  after: HostSnapshot,
  ownDirs: readonly string[] = [],
): Attributed {
  const run: string[] = [];
  const elsewhere: string[] = [];
  for (const section of Object.keys(before)) {
    const old = before[section] ?? '';
    const now = after[section] ?? '';
    if (old === now) continue;
    if (section === 'mounts' || section === 'interfaces') {
      const found = attributeChanges(section, old, now, ownDirs);
      if (found.run.length) run.push(`${section}: ${found.run.join(' | ')}`);
      if (found.elsewhere.length) elsewhere.push(`${section}: ${found.elsewhere.join(' | ')}`);
      continue;
    }
    const oldLines = new Set(old.split('\n'));
    const newLines = new Set(now.split('\n'));
    const gone = [...oldLines].filter((line) => !newLines.has(line));
    const came = [...newLines].filter((line) => !oldLines.has(line));
    run.push(`${section}: ${[...gone.map((line) => `- ${line}`), ...came.map((line) => `+ ${line}`)].join(' | ')}`);
  }
  return { run, elsewhere };
}
