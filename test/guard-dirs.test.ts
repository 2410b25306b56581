// Nothing for other local users: the run's directories are 0700 and the "other user" ids of claims belong to no account.
import { readFileSync, statSync } from 'node:fs';
import test from 'ava';
import { withSession } from '../harness/cli/session.ts';
import { otherUserId } from '../harness/other-user-id.ts';
import { observeClaim, type SpecClaim } from '../harness/script/spec-claim.ts';
import { Script } from '../harness/script/builder.ts';
import { outerGid, outerId } from '../suites/user/steps.ts';
import type { Environment } from '../harness/env/environment.ts';

function idsOf(file: string): number[] {
  return readFileSync(file, 'utf8').split('\n').map((line) => Number(line.split(':')[2])).filter(Number.isInteger);
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
  const observed = await withSession(1, ({ pool, scratchDir }) => observeClaim(claim, 'root', { pool, env, scratchDir, timeoutMs: 5000 }));
  if (!observed.ok) return t.fail(observed.error);
  t.is(((observed.observation.run.step('dir')?.mode as number) & 0o7777).toString(8), '700');
});

test('the id root-mode claims chown files to and map namespace roots to is no account\'s or group\'s', (t) => {
  const root = { mode: 'root', uid: 0, gid: 0 } as const;
  t.false(idsOf('/etc/passwd').includes(outerId(root)), `uid ${outerId(root)} belongs to an account`);
  t.false(idsOf('/etc/group').includes(outerGid(root)), `gid ${outerGid(root)} belongs to a group`);
  t.is(outerId(root), otherUserId());
});
