// bookworm's lava-dispatcher 2023.01, unpacked (apt-get download + dpkg -x, never installed) into a cache only root writes, like the BusyBox download.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { untrustedReason } from '../../harness/env/trusted-path.ts';
import { extractPackage, fetchPackage } from '../../harness/vm/debian-package.ts';

const PACKAGES = ['lava-dispatcher', 'lava-dispatcher-host', 'lava-common'];
/** The version the job shape was worked out on (bookworm's); another may want other device or job keys. */
export const LAVA_VERSION = '2023.01';
const CACHE = `/var/cache/nsconform/lava-dispatcher-${LAVA_VERSION}`;
/** Debian packages lava-run imports at start; .ci/run installs them. */
/** Debian's Python, where python3-* packages go (a pyenv or venv python3 earlier on PATH has none of them). */
export const PYTHON = '/usr/bin/python3';
export const PYTHON_MODULES = [
  'yaml',
  'jinja2',
  'pexpect',
  'voluptuous',
  'requests',
  'setproctitle',
  'configobj',
  'pytz',
  'magic',
  'netifaces',
  'pyudev',
];

/**
 * lava 2023.01 imports guestfs at module load, for ext4 overlays this job never makes (its ramdisk is a
 * cpio, whose overlay lava-run applies with cpio(1)). python3-guestfs would pull in libguestfs and a
 * supermin appliance; this stand-in fails loudly if anything ever calls it.
 */
const GUESTFS_STAND_IN = `# Stand-in for python3-guestfs: lava-dispatcher imports it at load; a cpio ramdisk job never uses it.
class GuestFS:
    def __init__(self, *args, **kwargs):
        raise RuntimeError("guestfs stand-in: this job must not need libguestfs")
`;

export interface Dispatcher {
  readonly lavaRun: string;
  /** PYTHONPATH for lava-run: the unpacked packages and the guestfs stand-in. */
  readonly pythonPath: string;
}

function unpack(target: string): string | null {
  // Beside the cache entry, so the finished tree is renamed into place on one filesystem.
  const work = mkdtempSync(join(dirname(target), 'unpacking-'));
  try {
    const root = join(work, 'root');
    for (const name of PACKAGES) {
      const deb = fetchPackage(name, work, 'lava-dispatcher for the LAVA test');
      if (!basename(deb).startsWith(`${name}_${LAVA_VERSION}`))
        return `apt-get download ${name} gave ${basename(deb)}, not version ${LAVA_VERSION}`;
      extractPackage(deb, root);
    }
    mkdirSync(join(root, 'stand-in'));
    writeFileSync(join(root, 'stand-in', 'guestfs.py'), GUESTFS_STAND_IN);
    // Renamed into place whole: a cache entry is complete or absent.
    renameSync(root, target);
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function missingPythonModules(): string[] {
  const probe = spawnSync(
    PYTHON,
    [
      '-c',
      `import importlib.util,sys; print(" ".join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))`,
      ...PYTHON_MODULES,
    ],
    { encoding: 'utf8' },
  );
  if (probe.error || probe.status !== 0) return [`${PYTHON} itself`];
  return probe.stdout.trim().split(/\s+/).filter(Boolean);
}

/** The unpacked dispatcher, or why there is none this run can trust (the test's skip reason). */
export function prepareDispatcher(): Dispatcher | { reason: string } {
  if (process.geteuid?.() !== 0)
    return { reason: 'lava-run unpacks the ramdisk with cpio, which makes its device nodes only as root' };
  const missing = missingPythonModules();
  if (missing.length > 0)
    return { reason: `lava-run needs Python modules ${missing.join(', ')} (.ci/run installs python3-<name> with apt)` };
  mkdirSync('/var/cache/nsconform', { recursive: true, mode: 0o700 });
  const unsafe = untrustedReason('/var/cache/nsconform', { strict: true });
  if (unsafe) return { reason: `the cache directory /var/cache/nsconform is not safe: ${unsafe}` };
  if (!existsSync(join(CACHE, 'usr', 'bin', 'lava-run'))) {
    rmSync(CACHE, { recursive: true, force: true });
    const failure = unpack(CACHE);
    if (failure) return { reason: `cannot unpack lava-dispatcher ${LAVA_VERSION}: ${failure}` };
  }
  const unsafeEntry = untrustedReason(CACHE, { strict: true });
  if (unsafeEntry) return { reason: `the cached dispatcher ${CACHE} is not safe: ${unsafeEntry}` };
  const dist = join(CACHE, 'usr', 'lib', 'python3', 'dist-packages');
  if (!readdirSync(dist).includes('lava_dispatcher')) return { reason: `${CACHE} holds no lava_dispatcher` };
  return { lavaRun: join(CACHE, 'usr', 'bin', 'lava-run'), pythonPath: `${dist}:${join(CACHE, 'stand-in')}` };
}
