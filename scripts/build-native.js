// Builds native/build/nsconform-observer with this machine's C compiler; run by `npm install`.
// --sanitize: native/build/nsconform-observer-sanitized (ASan + UBSan) for the fuzz test in npm test.
// --libfuzzer: native/build/nsconform-parse-fuzzer (clang's libFuzzer) for `npm run fuzz -- --libfuzzer`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = join(root, 'native', 'src');
const buildDir = join(root, 'native', 'build');
const variant = process.argv.includes('--libfuzzer')
  ? 'libfuzzer'
  : process.argv.includes('--sanitize')
    ? 'sanitize'
    : 'plain';
// No -Werror: a newer compiler's new warning must not stop a user's install.
const FLAGS = ['-std=gnu11', '-Wall', '-Wextra', '-Werror=implicit-function-declaration', '-pthread'];
// Every UBSan finding aborts (no recover), so a test sees it as a dead process, not only as stderr text.
const SANITIZERS = ['-O1', '-g', '-fno-omit-frame-pointer', '-fno-sanitize-recover=all'];
const allSources = readdirSync(sources).filter((name) => name.endsWith('.c'));
const VARIANTS = {
  plain: {
    target: 'nsconform-observer',
    flags: ['-O2'],
    files: allSources.map((name) => join(sources, name)),
    what: 'the native observer',
  },
  sanitize: {
    target: 'nsconform-observer-sanitized',
    flags: [...SANITIZERS, '-fsanitize=address,undefined'],
    files: allSources.map((name) => join(sources, name)),
    what: 'the sanitizer build of the native observer (it needs libasan and libubsan: Debian installs them with gcc, Fedora with "dnf install libasan libubsan")',
  },
  // The fuzz target has its own main and includes script_mnt_ops.c for its file-local parser.
  libfuzzer: {
    target: 'nsconform-parse-fuzzer',
    flags: [...SANITIZERS, '-fsanitize=fuzzer,address,undefined'],
    files: [
      ...allSources
        .filter((name) => name !== 'observer.c' && name !== 'script_mnt_ops.c')
        .map((name) => join(sources, name)),
      join(root, 'native', 'fuzz', 'parse_fuzzer.c'),
    ],
    what: 'the libFuzzer target (it needs clang and its fuzzer runtime: "apt-get install clang libclang-rt-14-dev" on Debian 12)',
  },
};
const { target, flags, files, what } = VARIANTS[variant];

/** @param {string} compiler */
function runs(compiler) {
  const probe = spawnSync(compiler, ['--version'], { stdio: 'ignore' });
  return probe.status === 0;
}

const candidates = variant === 'libfuzzer' ? ['clang'] : [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean);
const compiler = candidates.find(runs);
if (!compiler) {
  process.stderr.write(
    variant === 'libfuzzer'
      ? `nsconform: building ${what} found no clang\n`
      : `nsconform: no C compiler found (tried ${candidates.join(', ')}): install one, e.g. "apt-get install gcc" on Debian/Ubuntu or "dnf install gcc" on Fedora\n`,
  );
  process.exit(1);
}

mkdirSync(buildDir, { recursive: true });
// Build beside the target and rename, so a failed build never leaves a half-written binary.
const output = join(buildDir, target);
const partial = `${output}.partial-${process.pid}`;
const build = spawnSync(compiler, [...FLAGS, ...flags, '-o', partial, ...files], { encoding: 'utf8' });
if (build.status !== 0) {
  rmSync(partial, { force: true });
  process.stderr.write(`${build.stderr ?? ''}${build.stdout ?? ''}`);
  process.stderr.write(`nsconform: building ${what} with ${compiler} failed (see above)\n`);
  process.exit(1);
}
renameSync(partial, output);
