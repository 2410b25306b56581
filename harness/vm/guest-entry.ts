// The runner the guest starts: the TypeScript sources bundled once on the host, so that no guest compiles them under emulation.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * At native/build/ (two levels down, like harness/cli/), so the bundle's import.meta.url finds
 * package.json and the observer where the sources do, and node_modules resolves from the project.
 */
export const GUEST_BUNDLE = 'native/build/nsconform-guest.mjs';
const FALLBACK = 'bin/nsconform.js';

/** The run's janitor (harness/run/janitor.ts), a process of its own: bundled beside the runner, where the runner looks for it. */
export const JANITOR_BUNDLE = 'native/build/nsconform-janitor.mjs';

const ENTRY = `import { main } from './harness/cli/main.ts';
process.exitCode = await main(process.argv.slice(2));
`;

async function bundle(projectDir: string, contents: string, target: string): Promise<void> {
  const { build } = await import('esbuild');
  const result = await build({
    stdin: { contents, resolveDir: projectDir, sourcefile: 'guest-entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Bundled, not imported: under emulation Node's lexer for CommonJS packages imported from ESM cost
    // ~13 s of a guest run's profile. koffi is a native addon; esbuild and tsx are never run in the guest.
    external: ['koffi', 'esbuild', 'tsx'],
    // The CommonJS packages require Node's builtins: an ES module has no require of its own.
    banner: { js: "import { createRequire as nsconformRequire } from 'node:module';\nconst require = nsconformRequire(import.meta.url);" },
    outfile: join(projectDir, target),
    logLevel: 'silent',
    write: false,
  });
  // Another vm run's guest may be reading the bundle: replace it whole, and only when it changed.
  const path = join(projectDir, target);
  const text = result.outputFiles[0]?.text ?? '';
  if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
    writeFileSync(`${path}.${process.pid}`, text);
    renameSync(`${path}.${process.pid}`, path);
  }
}

/** The bundle's path relative to the project, or bin/nsconform.js (tsx in the guest) when esbuild is not at hand. */
export async function prepareGuestEntry(projectDir: string, note: (line: string) => void): Promise<string> {
  try {
    await bundle(projectDir, ENTRY, GUEST_BUNDLE);
    await bundle(projectDir, `import './harness/run/janitor-main.ts';\n`, JANITOR_BUNDLE);
    return GUEST_BUNDLE;
  } catch (error) {
    note(`nsconform vm: could not bundle the runner (${(error as Error).message.split('\n')[0]}); the guest compiles the sources with tsx, which is slower`);
    return FALLBACK;
  }
}
