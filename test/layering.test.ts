// harness/ never imports suites/: the entry point hands the CLI its suites, so the harness can be read, and tested, without them.
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SUITES = join(ROOT, 'suites');

/** Every module a file names in an import or export ... from, static or dynamic. */
function specifiers(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)].map((match) => match[1]!);
}

function reachesSuites(file: string, specifier: string): boolean {
  return specifier.startsWith('.') && resolve(dirname(file), specifier).startsWith(`${SUITES}/`);
}

test('no file of harness/ imports from suites/', (t) => {
  const files = readdirSync(join(ROOT, 'harness'), { recursive: true, encoding: 'utf8' }).filter((file) =>
    file.endsWith('.ts'),
  );
  t.true(files.length > 100, `only ${files.length} harness files found`);
  const arrows = files.flatMap((file) => {
    const path = join(ROOT, 'harness', file);
    return specifiers(readFileSync(path, 'utf8'))
      .filter((specifier) => reachesSuites(path, specifier))
      .map((specifier) => `harness/${file} → ${specifier}`);
  });
  t.deepEqual(arrows, []);
});

test('the check sees an arrow into suites/, static or dynamic', (t) => {
  const file = join(ROOT, 'harness', 'cli', 'run.ts');
  const found = specifiers(
    "import { x } from '../../suites/registry.ts';\nconst y = await import('../../suites/uts/names.ts');\n",
  ).filter((specifier) => reachesSuites(file, specifier));
  t.is(found.length, 2);
});
