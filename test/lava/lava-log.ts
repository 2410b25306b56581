// The results lava-run logs: its log is one JSON-like mapping per line; the test cases are the lines with lvl "results".

export interface LavaResultLine {
  readonly definition: string;
  readonly case: string;
  readonly result: string;
  readonly set?: string;
  readonly starttc?: string;
  readonly endtc?: string;
}

/** lava-run writes tagged strings (`"endtc": ! "638"`), which are not JSON; the tag says nothing the test needs. */
function parseLine(line: string): { lvl?: string; msg?: unknown } | null {
  if (!line.startsWith('{')) return null;
  try {
    return JSON.parse(line.replace(/: ! "/g, ': "')) as { lvl?: string; msg?: unknown };
  } catch {
    return null;
  }
}

export function readResultLines(log: string): LavaResultLine[] {
  return log.split('\n').flatMap((line) => {
    const entry = parseLine(line);
    return entry?.lvl === 'results' && typeof entry.msg === 'object' && entry.msg !== null
      ? [entry.msg as LavaResultLine]
      : [];
  });
}

/** What the device printed (lvl "target"): where a guest-side error would show. */
export function readTargetLines(log: string): string[] {
  return log.split('\n').flatMap((line) => {
    const entry = parseLine(line);
    return entry?.lvl === 'target' && typeof entry.msg === 'string' ? [entry.msg] : [];
  });
}
