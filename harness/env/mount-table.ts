// /proc/self/mountinfo parsed (proc(5)): the evidence for restrictions that come from what is mounted where.
export interface MountEntry {
  readonly id: number;
  readonly parent: number;
  /** The mount's root within its filesystem. */
  readonly root: string;
  readonly mountPoint: string;
  /** Per-mount options: "ro" here makes the mount read-only. */
  readonly options: readonly string[];
  readonly fstype: string;
  readonly source: string;
}

/** Octal escapes (\040 for a space) as the kernel writes them. */
const unescape = (text: string): string =>
  text.replace(/\\([0-7]{3})/g, (_, code: string) => String.fromCharCode(Number.parseInt(code, 8)));

export function parseMountinfo(text: string): MountEntry[] {
  return text.split('\n').flatMap((line) => {
    const [left, right] = line.split(' - ');
    const fields = left?.split(' ') ?? [];
    const [fstype, source] = right?.split(' ') ?? [];
    if (fields.length < 6 || !fstype || source === undefined) return [];
    return [
      {
        id: Number(fields[0]),
        parent: Number(fields[1]),
        root: unescape(fields[3]!),
        mountPoint: unescape(fields[4]!),
        options: fields[5]!.split(','),
        fstype,
        source,
      },
    ];
  });
}

/** The mount a path shows: the last one mounted at it. */
export function mountAt(table: readonly MountEntry[], mountPoint: string): MountEntry | undefined {
  return table.filter((entry) => entry.mountPoint === mountPoint).at(-1);
}

/** The mount a path lies on: the deepest mount point above it, the last one mounted there. The path must be resolved. */
export function mountContaining(table: readonly MountEntry[], path: string): MountEntry | undefined {
  const above = (mountPoint: string) =>
    path === mountPoint || path.startsWith(mountPoint === '/' ? '/' : `${mountPoint}/`);
  const deepest = table
    .filter((entry) => above(entry.mountPoint))
    .reduce((longest, entry) => Math.max(longest, entry.mountPoint.length), -1);
  return table.filter((entry) => above(entry.mountPoint) && entry.mountPoint.length === deepest).at(-1);
}
