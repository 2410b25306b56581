// Nothing for other local users: the run's directories are 0700 and the "other user" ids of claims belong to no account.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { withSession } from '../harness/cli/session.ts';
import { otherUserId } from '../harness/other-user-id.ts';
import { observeClaim, type SpecClaim } from '../harness/script/spec-claim.ts';
import { Script } from '../harness/script/builder.ts';
import { outerGid, outerId } from '../suites/user/steps.ts';
import type { Environment } from '../harness/env/environment.ts';

function idsOf(file: string): number[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => Number(line.split(':')[2]))
    .filter(Number.isInteger);
}

test('the session directory (scratch for every case) is 0700', async (t) => {
  const mode = await withSession(1, ({ scratchDir }) => Promise.resolve(statSync(scratchDir).mode & 0o7777));
  t.is(mode.toString(8), '700');
});

test("each claim's scratch dir is 0700", async (t) => {
  const claim: SpecClaim = {
    key: 'scratch-mode',
    kinds: [],
    claim: 'reads its scratch dir',
    specIds: [],
    manPage: '',
    priv: 'A',
    script: () => {
      const s = new Script();
      s.stat('dir', '{scratch}');
      return s;
    },
    checks: () => [],
  };
  const env = { unprivilegedDrop: null } as unknown as Environment;
  const observed = await withSession(1, ({ pool, scratchDir }) =>
    observeClaim(claim, 'root', { pool, env, scratchDir, timeoutMs: 5000 }),
  );
  if (!observed.ok) return t.fail(observed.error);
  t.is(((observed.observation.run.step('dir')?.mode as number) & 0o7777).toString(8), '700');
});

test("the id root-mode claims chown files to and map namespace roots to is no account's or group's", (t) => {
  const root = { mode: 'root', uid: 0, gid: 0 } as const;
  t.false(idsOf('/etc/passwd').includes(outerId(root)), `uid ${outerId(root)} belongs to an account`);
  t.false(idsOf('/etc/group').includes(outerGid(root)), `gid ${outerGid(root)} belongs to a group`);
  t.is(outerId(root), otherUserId());
});

test("another local user cannot plant a symlink or a file anywhere in the run's scratch tree, which the cleanup removes recursively as root", async (t) => {
  if (process.geteuid?.() !== 0) return t.pass('only a root run has other users to fear: skipped');
  const other = String(otherUserId());
  const tried = await withSession(1, ({ scratchDir }) => {
    // A claim's dir chowned to the other id still sits below the 0700 session dir: nobody but root reaches it.
    const owned = join(scratchDir, 'case-1', 'd');
    mkdirSync(owned, { recursive: true });
    chownSync(owned, Number(other), Number(other));
    const plant = (target: string) =>
      spawnSync('setpriv', ['--reuid', other, '--regid', other, '--clear-groups', 'ln', '-s', '/etc/shadow', target], {
        encoding: 'utf8',
      });
    const results = [plant(join(scratchDir, 'capbin')), plant(join(owned, 'capbin'))];
    return Promise.resolve(
      results.map((result) => ({
        status: result.status,
        stderr: result.stderr,
        planted: existsSync(join(owned, 'capbin')) || existsSync(join(scratchDir, 'capbin')),
      })),
    );
  });
  for (const result of tried) {
    t.not(result.status, 0);
    t.regex(result.stderr, /Permission denied/);
    t.false(result.planted);
  }
});
