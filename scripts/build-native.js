// Builds native/build/nsconform-observer with this machine's C compiler; run by `npm install`.
// With --sanitize it builds native/build/nsconform-observer-sanitized (ASan + UBSan) for the fuzz test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = join(root, 'native', 'src');
const buildDir = join(root, 'native', 'build');
const sanitize = process.argv.includes('--sanitize');
const target = join(buildDir, sanitize ? 'nsconform-observer-sanitized' : 'nsconform-observer');
// No -Werror: a newer compiler's new warning must not stop a user's install.
const FLAGS = ['-std=gnu11', '-Wall', '-Wextra', '-pthread'];
// Every UBSan finding aborts (no recover), so a test sees it as a dead process, not only as stderr text.
const VARIANT = sanitize
  ? ['-O1', '-g', '-fno-omit-frame-pointer', '-fsanitize=address,undefined', '-fno-sanitize-recover=all']
  : ['-O2'];

/** @param {string} compiler */
function runs(compiler) {
  const probe = spawnSync(compiler, ['--version'], { stdio: 'ignore' });
  return probe.status === 0;
}

const candidates = [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean);
const compiler = candidates.find(runs);
if (!compiler) {
  process.stderr.write(
    `nsconform: no C compiler found (tried ${candidates.join(', ')}): install one, e.g. "apt-get install gcc" on Debian/Ubuntu or "dnf install gcc" on Fedora\n`,
  );
  process.exit(1);
}

mkdirSync(buildDir, { recursive: true });
// Build beside the target and rename, so a failed build never leaves a half-written observer.
const partial = `${target}.partial-${process.pid}`;
const files = readdirSync(sources).filter((name) => name.endsWith('.c')).map((name) => join(sources, name));
const build = spawnSync(compiler, [...FLAGS, ...VARIANT, '-o', partial, ...files], { encoding: 'utf8' });
if (build.status !== 0) {
  rmSync(partial, { force: true });
  process.stderr.write(`${build.stderr ?? ''}${build.stdout ?? ''}`);
  const what = sanitize ? 'the sanitizer build of the native observer (it needs libasan and libubsan: Debian installs them with gcc, Fedora with "dnf install libasan libubsan")' : 'the native observer';
  process.stderr.write(`nsconform: building ${what} with ${compiler} failed (see above)\n`);
  process.exit(1);
}
renameSync(partial, target);
