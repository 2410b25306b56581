// Which host mount and interface changes this run could have made, and which are other programs' on a shared machine.

export interface Attributed {
  /** Changes this run could have made: they fail it. */
  readonly run: string[];
  /** Mounts and interfaces that came or went outside anything of this run's: another program's (a CI job's docker, say). */
  readonly elsewhere: string[];
}

/** Mountinfo lines by mount id, device and mount point (proc(5) fields 1, 3, 5: a reused id on a new superblock is a new mount); interfaces by name. */
function keyed(section: string, text: string): Map<string, string> {
  const keyOf = (line: string): string => {
    const fields = line.split(' ');
    return section === 'mounts' ? `${fields[0]} ${fields[2]} ${fields[4]}` : (fields[0] ?? line);
  };
  return new Map(
    text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => [keyOf(line), line]),
  );
}

const pointOf = (line: string): string => line.split(' ')[4] ?? '';
const beneath = (path: string, dir: string): boolean => path === dir || path.startsWith(`${dir}/`);

/**
 * A mount or interface that existed before and after but reads differently (options, propagation, flags) is
 * this run's to answer for: remounting a shared superblock, or changing a host interface, is what a bypass does.
 * One that came or went is this run's only beneath its own directories: its cases mount only in mount namespaces
 * they made (contained cases below a private tree; the guard refuses mount calls elsewhere and makes a new
 * namespace's tree private) and make interfaces only in network namespaces they made (moving one out is refused).
 * Anything else that came or went is another program's, and is listed for the report rather than blamed.
 */
export function attributeChanges(
  section: 'mounts' | 'interfaces',
  before: string,
  after: string,
  ownDirs: readonly string[],
): Attributed {
  const old = keyed(section, before);
  const now = keyed(section, after);
  const run: string[] = [];
  const elsewhere: string[] = [];
  const ours = (line: string): boolean => section === 'mounts' && ownDirs.some((dir) => beneath(pointOf(line), dir));
  for (const [key, line] of old) {
    const current = now.get(key);
    if (current === undefined) (ours(line) ? run : elsewhere).push(`- ${line}`);
    else if (current !== line) run.push(`- ${line} | + ${current}`);
  }
  for (const [key, line] of now) if (!old.has(key)) (ours(line) ? run : elsewhere).push(`+ ${line}`);
  return { run, elsewhere };
}
