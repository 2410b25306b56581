// The CLI's TypeScript bundled into one module by esbuild, rebuilt when a source is newer: tsx compiles every file at each start.
import { readdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * At native/build/ (two levels down, like harness/cli/), so the bundle's import.meta.url finds
 * package.json and the observer where the sources do, and node_modules resolves from the project.
 */
export const RUNNER_BUNDLE = 'native/build/nsconform-guest.mjs';
/** The run's janitor, a process of its own: bundled beside the runner, where harness/run/janitor.ts looks for it. */
export const JANITOR_BUNDLE = 'native/build/nsconform-janitor.mjs';
/**
 * The bundle's entry, like bin/nsconform.js: it hands the CLI the suites. A bundle has no files to import, so the registry
 * loads each suite file from a table of the bundled ones (suites/ stays beside it, where the registry reads its sources).
 * @param {string} projectDir @returns {string}
 */
function entrySource(projectDir) {
  const files = readdirSync(join(projectDir, 'suites'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .sort();
  const table = files
    .map((file) => `  ${JSON.stringify(file)}: () => import(${JSON.stringify(`./suites/${file}`)}),`)
    .join('\n');
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
 * Bundles `contents` into `target`; throws when esbuild is missing or the build fails. Another run may be reading
 * the file: it is replaced whole, and only touched when its text is unchanged.
 * @param {string} projectDir @param {string} contents @param {string} target
 */
async function bundleInto(projectDir, contents, target) {
  const { build } = await import('esbuild');
  const result = await build({
    stdin: { contents, resolveDir: projectDir, sourcefile: 'runner-entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Bundled, not imported: under emulation Node's lexer for CommonJS packages imported from ESM cost
    // ~13 s of a guest run's profile. koffi is a native addon; esbuild and tsx are never run from the bundle.
    external: ['koffi', 'esbuild', 'tsx'],
    // The CommonJS packages require Node's builtins: an ES module has no require of its own.
    banner: {
      js: "import { createRequire as nsconformRequire } from 'node:module';\nconst require = nsconformRequire(import.meta.url);",
    },
    outfile: join(projectDir, target),
    logLevel: 'silent',
    write: false,
  });
  const path = join(projectDir, target);
  const text = result.outputFiles[0]?.text ?? '';
  let old = null;
  try {
    old = readFileSync(path, 'utf8');
  } catch {
    // not built yet
  }
  if (old === text) utimesSync(path, new Date(), new Date());
  else {
    writeFileSync(`${path}.${process.pid}`, text);
    renameSync(`${path}.${process.pid}`, path);
  }
}

/**
 * Builds the runner and, beside it, the run's janitor (harness/run/janitor.ts starts it from there, without tsx).
 * @param {string} projectDir @returns {Promise<string>} the runner bundle's path relative to projectDir
 */
export async function bundleRunner(projectDir) {
  await bundleInto(projectDir, `import './harness/run/janitor-main.ts';\n`, JANITOR_BUNDLE);
  await bundleInto(projectDir, entrySource(projectDir), RUNNER_BUNDLE);
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
