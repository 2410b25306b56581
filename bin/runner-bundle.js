// The CLI's TypeScript bundled into one module by esbuild, rebuilt when a source is newer: tsx compiles every file at each start.
import { readdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * At native/build/ (two levels down, like harness/cli/), so the bundle's import.meta.url finds
 * package.json and the observer where the sources do, and node_modules resolves from the project.
 */
export const RUNNER_BUNDLE = 'native/build/nsconform-guest.mjs';
/**
 * The bundle's entry, like bin/nsconform.js: it hands the CLI the suites. A bundle has no files to import, so the registry
 * loads each suite file from a table of the bundled ones (suites/ stays beside it, where the registry reads its sources).
 * @param {string} projectDir @returns {string}
 */
function entrySource(projectDir) {
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
  if (!file) throw new Error(\`\${url.href} is not in the bundle: run nsconform again to rebuild it\`);
  return file();
};
const loadRegistry = async () => (await import('./suites/registry.ts')).loadSuites(root, load);
process.exitCode = await main(process.argv.slice(2), loadRegistry);
`;
}
/** What the bundle is made of; spec/ and fixtures are read at run time. */
const SOURCE_DIRS = ['harness', 'suites'];

/** @param {string} dir @returns {number} the newest mtime of a .ts file or folder below dir */
function newestSource(dir) {
  // The folder's own mtime too: a removed or renamed file changes no file's mtime, only its folder's.
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds the bundle; throws when esbuild is missing or the build fails. Another run may be reading it:
 * it is replaced whole, and only touched when its text is unchanged.
 * @param {string} projectDir @returns {Promise<string>} the bundle's path relative to projectDir
 */
export async function bundleRunner(projectDir) {
  const { build } = await import('esbuild');
  const result = await build({
    stdin: { contents: entrySource(projectDir), resolveDir: projectDir, sourcefile: 'runner-entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: join(projectDir, RUNNER_BUNDLE),
    logLevel: 'silent',
    write: false,
  });
  const target = join(projectDir, RUNNER_BUNDLE);
  const text = result.outputFiles[0]?.text ?? '';
  let old = null;
  try {
    old = readFileSync(target, 'utf8');
  } catch {
    // not built yet
  }
  if (old === text) utimesSync(target, new Date(), new Date());
  else {
    writeFileSync(`${target}.${process.pid}`, text);
    renameSync(`${target}.${process.pid}`, target);
  }
  return RUNNER_BUNDLE;
}

/**
 * The bundle's absolute path when it is at least as new as every source (rebuilt if need be), else null:
 * a read-only checkout or no esbuild leaves the caller to tsx.
 * @param {string} projectDir @returns {Promise<string | null>}
 */
export async function freshRunner(projectDir) {
  const target = join(projectDir, RUNNER_BUNDLE);
  try {
    const newest = Math.max(...SOURCE_DIRS.map((dir) => newestSource(join(projectDir, dir))));
    if ((statSync(target, { throwIfNoEntry: false })?.mtimeMs ?? -1) >= newest) return target;
    await bundleRunner(projectDir);
    return target;
  } catch {
    return null;
  }
}
