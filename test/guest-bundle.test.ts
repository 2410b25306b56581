// The runner bundle the vm guest starts: it runs as the sources do, and its janitor starts without tsx.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { withDir } from 'tmp-promise';
import { GUEST_BUNDLE, JANITOR_BUNDLE, prepareGuestEntry } from '../harness/vm/guest-entry.ts';

const PROJECT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

test.serial(
  'the bundled runner runs cases and starts its janitor from the bundle beside it (it looked for janitor-main.ts and died)',
  async (t) => {
    t.is(await prepareGuestEntry(PROJECT, (line) => t.log(line)), GUEST_BUNDLE);
    await withDir(
      async ({ path }) => {
        const run = spawnSync(
          process.execPath,
          [join(PROJECT, GUEST_BUNDLE), '--junit', join(path, 'r.xml'), '--only', 'uts › *', '--mode', 'unprivileged'],
          { cwd: PROJECT, encoding: 'utf8', timeout: 120000 },
        );
        t.is(run.status, 0, run.stdout + run.stderr);
        t.notRegex(run.stderr, /Cannot find module|ERR_MODULE_NOT_FOUND/);
        t.regex(run.stdout, /passed, 0 failed/);
        await Promise.resolve();
      },
      { unsafeCleanup: true },
    );
    // Told "done", the janitor leaves at once and quietly; it loads no tsx.
    const janitor = spawnSync(process.execPath, [join(PROJECT, JANITOR_BUNDLE), '/nonexistent-journal'], {
      input: 'done\n',
      encoding: 'utf8',
      timeout: 20000,
    });
    t.is(janitor.status, 0);
    t.is(janitor.stderr, '');
  },
);
