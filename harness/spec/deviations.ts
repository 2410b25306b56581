// spec/deviations.md read into deviations: where a kernel departs from the man pages, which entries that concerns, and on which kernels.
import { fail, readBlocks, readLinks } from './blocks.ts';

export interface Deviation {
  readonly id: string;
  readonly statement: string;
  /** Checklist ids the deviation is about. */
  readonly concerns: readonly string[];
  /** Kernel releases that showed it, e.g. ["6.1", "6.18"]. */
  readonly kernels: readonly string[];
  readonly line: number;
}

export const entryLink = (id: string): string => `${id.replace(/-\d+$/, '')}.md#${id.toLowerCase()}`;

export function parseDeviations(text: string, file: string): Deviation[] {
  return readBlocks(text, file, /^D\d+$/, ['Page', 'Concerns', 'Kernels'], ['Page', 'Concerns', 'Kernels']).map(({ key, line, statement, fields, fieldLines }) => {
    const kernels = fields.get('Kernels')!.split(', ');
    if (kernels.some((kernel) => !/^\d+\.\d+(\.\d+)?$/.test(kernel))) fail(file, fieldLines.get('Kernels') ?? line, `${key}: Kernels lists releases like 6.1, 6.18, not ${JSON.stringify(fields.get('Kernels'))}`);
    return { id: key, statement, concerns: readLinks(file, fieldLines.get('Concerns') ?? line, fields.get('Concerns')!, entryLink), kernels, line };
  });
}
