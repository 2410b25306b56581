// Finds the claims a folder of claim files exports: files in name order, exports in the order they appear in the file.
import { readdirSync, readFileSync } from 'node:fs';

/** Imports one file of the folder; the entry point's loader (a bundle has no files to import). */
export type LoadModule = (url: URL) => Promise<Readonly<Record<string, unknown>>>;

export const importModule: LoadModule = (url) => import(url.href) as Promise<Record<string, unknown>>;

/** The TypeScript files of a folder, by name. */
export function sourceFiles(folder: URL): string[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.ts'))
    .sort();
}

/** Where `export const name` stands in the source: exports are ordered by it, as a reader sees them. */
function exportPosition(source: string, name: string, file: string): number {
  const position = source.search(new RegExp(`^export const ${name}\\b`, 'm'));
  if (position < 0)
    throw new Error(
      `${file}: a claim is exported as ${name} other than by "export const ${name}", so its place in the suite is unknown`,
    );
  return position;
}

/**
 * Every value the folder's files export that `accept` takes, a list taken element by element; each once, at its first
 * place. Files other than `skip` are imported; a file exporting nothing accepted (step helpers) contributes nothing.
 * A value two files export is an error: each claim has one file, which places it.
 */
export async function folderExports<T>(
  folder: URL,
  accept: (value: unknown) => value is T,
  load: LoadModule,
  skip: readonly string[] = [],
): Promise<T[]> {
  const found: T[] = [];
  const seen = new Map<unknown, string>();
  for (const file of sourceFiles(folder).filter((name) => !skip.includes(name))) {
    const url = new URL(file, folder);
    const module = await load(url);
    const source = readFileSync(url, 'utf8');
    const exported = Object.entries(module)
      .map(([name, value]) => ({ name, values: (Array.isArray(value) ? value : [value]).filter(accept) }))
      .filter(({ values }) => values.length > 0)
      .map((entry) => ({ ...entry, position: exportPosition(source, entry.name, file) }))
      .sort((a, b) => a.position - b.position);
    for (const value of exported.flatMap(({ values }) => values)) {
      const first = seen.get(value);
      if (first !== undefined && first !== file)
        throw new Error(
          `${new URL(file, folder).pathname}: exports a claim ${first} exports too; a claim belongs to one file`,
        );
      if (first !== undefined) continue;
      seen.set(value, file);
      found.push(value);
    }
  }
  return found;
}
