// The runner the guest starts: the TypeScript sources bundled once on the host, so that no guest compiles them under emulation.
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * At native/build/ (two levels down, like harness/cli/), so the bundle's import.meta.url finds
 * package.json and the observer where the sources do, and node_modules resolves from the project.
 */
export const GUEST_BUNDLE = 'native/build/nsconform-guest.mjs';
const FALLBACK = 'bin/nsconform.js';

/**
 * The bundle's entry, like bin/nsconform.js: it hands the CLI the suites. A bundle has no files to import, so the registry
 * loads each suite file from a table of the bundled ones (suites/ stays on the share, where the registry reads its sources).
 */
function entrySource(projectDir: string): string {
  const files = readdirSync(join(projectDir, 'suites'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .sort();
  const table = files.map((file) => `  ${JSON.stringify(file)}: () => import(${JSON.stringify(`./suites/${file}`)}),`).join('\n');
  return `import { main } from './harness/cli/main.ts';
const FILES = {
${table}
};
const root = new URL('../../suites/', import.meta.url);
const load = (url) => {
  const file = FILES[url.href.slice(root.href.length)];
  if (!file) throw new Error(\`\${url.href} is not in the bundle: run nsconform vm again to rebuild it\`);
  return file();
};
const loadRegistry = async () => (await import('./suites/registry.ts')).loadSuites(root, load);
process.exitCode = await main(process.argv.slice(2), loadRegistry);
`;
}

/** The bundle's path relative to the project, or bin/nsconform.js (tsx in the guest) when esbuild is not at hand. */
export async function prepareGuestEntry(projectDir: string, note: (line: string) => void): Promise<string> {
  try {
    const { build } = await import('esbuild');
    const result = await build({
      stdin: { contents: entrySource(projectDir), resolveDir: projectDir, sourcefile: 'guest-entry.ts', loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile: join(projectDir, GUEST_BUNDLE),
      logLevel: 'silent',
      write: false,
    });
    // Another vm run's guest may be reading the bundle: replace it whole, and only when it changed.
    const target = join(projectDir, GUEST_BUNDLE);
    const text = result.outputFiles[0]?.text ?? '';
    if (!existsSync(target) || readFileSync(target, 'utf8') !== text) {
      writeFileSync(`${target}.${process.pid}`, text);
      renameSync(`${target}.${process.pid}`, target);
    }
    return GUEST_BUNDLE;
  } catch (error) {
    note(`nsconform vm: could not bundle the runner (${(error as Error).message.split('\n')[0]}); the guest compiles the sources with tsx, which is slower`);
    return FALLBACK;
  }
}
