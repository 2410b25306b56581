// bin/nsconform.js runs the CLI from its esbuild bundle only while no source is newer; otherwise it rebuilds it (or falls back to tsx).
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { freshRunner, RUNNER_BUNDLE } from '../bin/runner-bundle.js';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runner-bundle-'));
  for (const sub of ['harness/cli', 'harness/run', 'suites', 'native/build'])
    mkdirSync(join(dir, sub), { recursive: true });
  // The entry hands main the registry, as bin/nsconform.js does; the registry here reads one suite file.
  writeFileSync(
    join(dir, 'harness/cli/main.ts'),
    'export async function main(args: string[], load: () => Promise<number>): Promise<number> { return (await load()) + args.length; }\n',
  );
  writeFileSync(
    join(dir, 'suites/registry.ts'),
    "import { answer } from './answer.ts';\nexport async function loadSuites(): Promise<number> { return answer; }\n",
  );
  writeFileSync(join(dir, 'suites/answer.ts'), 'export const answer: number = 41;\n');
  // The janitor is bundled beside the runner.
  writeFileSync(join(dir, 'harness/run/janitor-main.ts'), 'export {};\n');
  return dir;
}

test('the bundle is built when missing, reused while fresh, rebuilt once a source is newer', async (t) => {
  const dir = project();
  try {
    const bundle = await freshRunner(dir);
    t.is(bundle, join(dir, RUNNER_BUNDLE));
    t.regex(readFileSync(bundle!, 'utf8'), /41/);
    const built = statSync(bundle!).mtimeMs;
    t.is(await freshRunner(dir), bundle);
    t.is(statSync(bundle!).mtimeMs, built, 'not rebuilt while fresh');
    writeFileSync(join(dir, 'suites/answer.ts'), 'export const answer: number = 42;\n');
    const later = new Date(built + 5000);
    utimesSync(join(dir, 'suites/answer.ts'), later, later);
    t.is(await freshRunner(dir), bundle);
    t.regex(readFileSync(bundle!, 'utf8'), /42/, 'the newer source is in the rebuilt bundle');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a source that does not build leaves the caller to tsx (null), never a stale bundle', async (t) => {
  const dir = project();
  try {
    writeFileSync(join(dir, 'harness/cli/main.ts'), 'export async function main( {\n');
    t.is(await freshRunner(dir), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
