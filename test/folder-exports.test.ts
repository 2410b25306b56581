// The registry's discovery: a suite's claims are what its files export, files by name, exports by their place in the file, each claim once.
import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { folderExports, type LoadModule } from '../harness/registry/folder-exports.ts';

interface Fake {
  readonly key: string;
}
const isFake = (value: unknown): value is Fake => typeof value === 'object' && value !== null && 'key' in value;
const claim = (key: string): Fake => ({ key });

/** A folder of files whose sources are `sources` and whose modules are `modules` (the loader hands them out by name). */
async function discover(
  sources: Record<string, string>,
  modules: Record<string, Record<string, unknown>>,
): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'nsconform-registry-test-'));
  try {
    for (const [name, text] of Object.entries(sources)) writeFileSync(join(dir, name), text);
    const load: LoadModule = (url) => Promise.resolve(modules[url.pathname.split('/').pop()!]!);
    return (await folderExports(pathToFileURL(`${dir}/`), isFake, load, ['suite.ts'])).map((found) => found.key);
  } finally {
    rmSync(dir, { recursive: true });
  }
}

test('files in name order, exports in the order they stand in the file, lists element by element, helpers and suite.ts skipped', async (t) => {
  const second = claim('second');
  const keys = await discover(
    {
      'b.ts': 'export const zeta = 1;\nexport const later = 2;\n',
      'a.ts': 'export const zulu = 1;\nexport const alpha = 2;\nexport const generatedClaims = 3;\n',
      'steps.ts': 'export const helper = 1;\n',
      'suite.ts': "export const description = 'x';\n",
    },
    {
      'a.ts': { alpha: second, zulu: claim('first'), generatedClaims: [claim('third'), claim('fourth'), second] },
      'b.ts': { later: claim('sixth'), zeta: claim('fifth') },
      'steps.ts': { helper: () => 1 },
      'suite.ts': { description: 'x', stray: claim('never') },
    },
  );
  t.deepEqual(keys, ['first', 'second', 'third', 'fourth', 'fifth', 'sixth']);
});

test('a claim two files export is an error naming both', async (t) => {
  const shared = claim('shared');
  await t.throwsAsync(
    discover(
      { 'a.ts': 'export const one = 1;\n', 'b.ts': 'export const again = 1;\n' },
      { 'a.ts': { one: shared }, 'b.ts': { again: shared } },
    ),
    {
      message: /b\.ts: exports a claim a\.ts exports too/,
    },
  );
});

test('a claim exported other than by export const has no place: an error', async (t) => {
  await t.throwsAsync(
    discover({ 'a.ts': 'const hidden = 1;\nexport { hidden };\n' }, { 'a.ts': { hidden: claim('hidden') } }),
    { message: /exported as hidden other than by "export const hidden"/ },
  );
});
