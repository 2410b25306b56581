// The checklist in spec/: every area file in order, the deviations, and the links between them checked both ways.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChecklistError, fail } from './blocks.ts';
import { parseAreaFile, type ChecklistEntry } from './checklist.ts';
import { parseDeviations, type Deviation } from './deviations.ts';

/** The areas in checklist order; each has spec/<AREA>.md. */
export const AREAS = ['NS', 'CLONE', 'COMBO', 'UNS', 'SETNS', 'IOC', 'USER', 'PID', 'MNT', 'UTS', 'IPC', 'NET', 'CG', 'TIME', 'LIFE', 'LIM'] as const;

export const SPEC_DIR = fileURLToPath(new URL('../../spec/', import.meta.url));

export interface Area {
  readonly area: string;
  /** The file's "# AREA — title" heading, without the area. */
  readonly title: string;
  readonly entries: readonly ChecklistEntry[];
}

export interface Checklist {
  readonly areas: readonly Area[];
  readonly entries: readonly ChecklistEntry[];
  readonly deviations: readonly Deviation[];
}

function readSpecFile(dir: string, name: string): string {
  const path = join(dir, name);
  if (!existsSync(path)) throw new ChecklistError(`${path}: missing (the checklist is spec/ in the checkout)`);
  return readFileSync(path, 'utf8');
}

function readArea(dir: string, area: string): Area {
  const file = `${area}.md`;
  const text = readSpecFile(dir, file);
  const title = new RegExp(`^# ${area} — (.+)$`, 'm').exec(text);
  if (!title) fail(file, 1, `the file opens with "# ${area} — <title>"`);
  return { area, title: title[1]!, entries: parseAreaFile(text, file, area) };
}

/** A deviation and the entries it concerns must name each other. */
function checkLinks(entries: readonly ChecklistEntry[], deviations: readonly Deviation[]): void {
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  for (const deviation of deviations) {
    for (const id of deviation.concerns) {
      const entry = byId.get(id);
      if (!entry) fail('deviations.md', deviation.line, `${deviation.id} concerns ${id}, which no area file has`);
      if (!entry.deviations.includes(deviation.id)) fail(entry.file, entry.line, `${id} does not link to ${deviation.id}, which concerns it`);
    }
  }
  for (const entry of entries) {
    for (const id of entry.deviations) {
      const deviation = deviations.find((candidate) => candidate.id === id);
      if (!deviation) fail(entry.file, entry.line, `${entry.id} links to ${id}, which deviations.md lacks`);
      if (!deviation.concerns.includes(entry.id)) fail(entry.file, entry.line, `${entry.id} links to ${id}, which does not list it under Concerns`);
    }
  }
}

export function loadChecklist(dir: string = SPEC_DIR): Checklist {
  const areas = AREAS.map((area) => readArea(dir, area));
  const entries = areas.flatMap((area) => area.entries);
  const deviations = parseDeviations(readSpecFile(dir, 'deviations.md'), 'deviations.md');
  checkLinks(entries, deviations);
  return { areas, entries, deviations };
}
