// The shape both spec/ entry kinds share: "### KEY", a statement, then "- Field: value" lines; errors name file and line.

import { EnvironmentError } from '../errors.ts';

/** A malformed spec/ file: the CLI prints it as one line, like any broken part of the checkout. */
export class ChecklistError extends EnvironmentError {
  override name = 'ChecklistError';
}

export interface Block {
  readonly key: string;
  readonly line: number;
  readonly statement: string;
  readonly fields: ReadonlyMap<string, string>;
  /** Where each field was given, so an error points at it. */
  readonly fieldLines: ReadonlyMap<string, number>;
}

export function fail(file: string, line: number, message: string): never {
  throw new ChecklistError(`spec/${file}:${line}: ${message}`);
}

interface OpenBlock {
  key: string;
  line: number;
  prose: string[];
  fields: Map<string, string>;
  fieldLines: Map<string, number>;
}

/** Text before the first "###" is the file's introduction; keyPattern says what a heading may name, fields which lines may follow. */
export function readBlocks(text: string, file: string, keyPattern: RegExp, fields: readonly string[], required: readonly string[]): Block[] {
  const blocks: OpenBlock[] = [];
  let current: OpenBlock | undefined;
  text.split('\n').forEach((content, index) => {
    const line = index + 1;
    const heading = /^### (.*)$/.exec(content);
    if (heading) {
      const key = heading[1]!.trim();
      if (!keyPattern.test(key)) fail(file, line, `an entry heading must match ${keyPattern.source}, not ${JSON.stringify(content)}`);
      if (blocks.some((block) => block.key === key)) fail(file, line, `${key} appears twice`);
      current = { key, line, prose: [], fields: new Map(), fieldLines: new Map() };
      blocks.push(current);
      return;
    }
    if (!current) return;
    if (/^#{1,3} /.test(content)) fail(file, line, `${current.key}: no other headings after the first entry, not ${JSON.stringify(content)}`);
    const field = /^- ([A-Za-z ]+?): (.+)$/.exec(content);
    if (field) {
      const name = field[1]!;
      if (!fields.includes(name)) fail(file, line, `${current.key}: unknown field ${JSON.stringify(name)} (fields: ${fields.join(', ')})`);
      if (current.fields.has(name)) fail(file, line, `${current.key}: ${name} given twice`);
      current.fields.set(name, field[2]!.trim());
      current.fieldLines.set(name, line);
    } else if (content.startsWith('- ')) fail(file, line, `${current.key}: a field line is "- Name: value", not ${JSON.stringify(content)}`);
    else if (current.fields.size && content.trim()) fail(file, line, `${current.key}: the statement comes before the fields, not after them`);
    else current.prose.push(content);
  });
  return blocks.map((block) => {
    const missing = required.filter((name) => !block.fields.has(name));
    if (missing.length) fail(file, block.line, `${block.key} lacks ${missing.join(', ')}`);
    const statement = block.prose.join(' ').replace(/\s+/g, ' ').trim();
    if (!statement) fail(file, block.line, `${block.key} has no statement`);
    return { key: block.key, line: block.line, statement, fields: block.fields, fieldLines: block.fieldLines };
  });
}

/** "[X](file#x), [Y](file#y)" → ["X", "Y"]; each link must point at the lower-cased key in that file. */
export function readLinks(file: string, line: number, text: string, target: (key: string) => string): string[] {
  return text.split(', ').map((link) => {
    const match = /^\[([^\]]+)\]\(([^)]+)\)$/.exec(link);
    if (!match || match[2] !== target(match[1]!)) fail(file, line, `links must read like [KEY](${target('KEY')}), not ${JSON.stringify(link)}`);
    return match[1]!;
  });
}
