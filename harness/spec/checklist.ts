// One area file of the checklist (spec/<AREA>.md) read into entries: id, statement, privilege classes, kernel, man pages, deviations.
import { fail, readBlocks, readLinks } from './blocks.ts';

/** A, U, N, R: any caller, unprivileged through a user namespace, must lack the capability, real root (spec/README.md). */
export type PrivClass = 'A' | 'U' | 'N' | 'R';
const PRIV_CLASSES: readonly string[] = ['A', 'U', 'N', 'R'];

export interface ChecklistEntry {
  readonly id: string;
  readonly area: string;
  readonly statement: string;
  readonly priv: readonly PrivClass[];
  /** Which part each class applies to, when an entry has parts. */
  readonly privDetail: string;
  /** The first kernel release the man pages give, or "—". */
  readonly kernel: string;
  readonly manPages: readonly string[];
  /** What the kernels it was run on showed. */
  readonly seen: string;
  /** Deviation ids (D1…) from spec/deviations.md. */
  readonly deviations: readonly string[];
  /** Why no claim cites the entry; empty when claims should. */
  readonly notCovered: string;
  readonly file: string;
  readonly line: number;
}

const FIELDS = ['Priv', 'Kernel', 'Man', 'Seen', 'Deviations', 'Not covered'];
const REQUIRED = ['Priv', 'Kernel', 'Man', 'Seen'];
const MAN_PAGE = /^[a-z_0-9]+\([1-8]\)/;

export const deviationLink = (key: string): string => `deviations.md#${key.toLowerCase()}`;

function readPriv(file: string, line: number, text: string): { priv: PrivClass[]; privDetail: string } {
  const [classes = '', ...detail] = text.split(' — ');
  const priv = classes.split(', ');
  if (priv.some((word) => !PRIV_CLASSES.includes(word))) fail(file, line, `Priv lists A, U, N or R (comma-separated, then " — " and detail), not ${JSON.stringify(text)}`);
  return { priv: priv as PrivClass[], privDetail: detail.join(' — ') };
}

function readManPages(file: string, line: number, text: string): string[] {
  const pages = text.split('; ');
  const bad = pages.find((page) => !MAN_PAGE.test(page));
  if (bad !== undefined) fail(file, line, `each Man item starts with a page and its section, like namespaces(7), not ${JSON.stringify(bad)}`);
  return pages;
}

export function parseAreaFile(text: string, file: string, area: string): ChecklistEntry[] {
  return readBlocks(text, file, new RegExp(`^${area}-\\d\\d$`), FIELDS, REQUIRED).map(({ key, line, statement, fields, fieldLines }) => {
    const at = (field: string): number => fieldLines.get(field) ?? line;
    const deviations = fields.get('Deviations');
    return {
      id: key,
      area,
      statement,
      ...readPriv(file, at('Priv'), fields.get('Priv')!),
      kernel: fields.get('Kernel')!,
      manPages: readManPages(file, at('Man'), fields.get('Man')!),
      seen: fields.get('Seen')!,
      deviations: deviations === undefined ? [] : readLinks(file, at('Deviations'), deviations, deviationLink),
      notCovered: fields.get('Not covered') ?? '',
      file,
      line,
    };
  });
}
