// A scratch location (TMPDIR) on a nosuid mount: the set-user-ID and file-capability cases skip naming it instead of failing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';
import { nosuidScratchRestriction } from '../harness/env/mount-restrictions.ts';
import { detectRestrictions } from '../harness/env/restriction-list.ts';
import { evaluateNeeds } from '../harness/needs/index.ts';
import { Script } from '../harness/script/builder.ts';
import { str } from '../harness/script/encode.ts';
import { loadSuites } from '../suites/registry.ts';
import { HOST_MOUNTINFO, makeEnvironment, makeHost } from './fixtures/environment.ts';
import { runCli } from './fixtures/cli.ts';

const { suites: SUITES } = await loadSuites();

/** The fixture host with a nosuid tmpfs at /tmp and a suid-honouring one mounted below it at /tmp/suid. */
const NOSUID_TMP = [
  HOST_MOUNTINFO.trimEnd(),
  '50 27 0:40 / /tmp rw,nosuid,nodev,relatime - tmpfs tmpfs rw',
  '51 50 0:41 / /tmp/suid rw,relatime - tmpfs tmpfs rw',
  '52 27 0:42 / /tmpx rw,nosuid,relatime - tmpfs tmpfs rw',
  '',
].join('\n');
const envWithScratchIn = (scratchParent: string) =>
  makeEnvironment({ host: makeHost({ mountinfo: NOSUID_TMP, scratchParent }) });

test('the scratch location on a nosuid mount is a restriction read from mountinfo; a mount below it without nosuid, or a sibling path, is not', (t) => {
  const restriction = nosuidScratchRestriction(envWithScratchIn('/tmp'));
  t.truthy(restriction);
  t.regex(restriction?.name ?? '', /scratch location \/tmp is on a nosuid mount/);
  t.is(restriction?.evidence, '/proc/self/mountinfo: /tmp (tmpfs) is mounted rw,nosuid,nodev,relatime');
  t.regex(restriction?.lift ?? '', /TMPDIR/);
  t.truthy(nosuidScratchRestriction(envWithScratchIn('/tmp/a/b')), 'a directory below the nosuid mount');
  t.is(nosuidScratchRestriction(envWithScratchIn('/tmp/suid/x')), null, 'a mount without nosuid below it');
  t.is(nosuidScratchRestriction(envWithScratchIn('/tm')), null, 'a path that only shares a prefix');
  t.is(nosuidScratchRestriction(envWithScratchIn('/var/tmp')), null, 'on the root mount');
  t.is(nosuidScratchRestriction(makeEnvironment()), null, 'the fixture host');
  t.true(detectRestrictions(envWithScratchIn('/tmp')).some((found) => found.name === restriction?.name));
});

test('a script needs suid-exec when it executes a file it made set-user-ID or gave file capabilities, not for either alone', (t) => {
  const needsSuid = (s: Script) => s.required.some((need) => need.kind === 'suid-exec');
  const suid = new Script();
  suid.sys('mode', 'chmod', str('{scratch}/suid'), 0o4755);
  suid.fork('c', 'clone3', 0, (c) => c.op.execfile('run', '{scratch}/suid', 3, 'run'));
  t.true(needsSuid(suid));
  const fcaps = new Script();
  fcaps.op.setxattr('set', '{scratch}/capbin', 'security.capability', '0x0100000200200000');
  fcaps.op.execfile('run', '{scratch}/capbin', 3, 'run');
  t.true(needsSuid(fcaps));
  const plain = new Script();
  plain.sys('mode', 'chmod', str('{scratch}/plain'), 0o2755);
  plain.op.execfile('run', '{scratch}/plain', 3, 'run');
  plain.op.setxattr('set', '{scratch}/other', 'security.capability', '0x0100000200200000');
  t.false(needsSuid(plain), 'set-group-ID alone, and file capabilities on a file never executed');
});

test('with a nosuid scratch location exactly the cases that execute set-user-ID or capability-carrying copies skip, naming it', (t) => {
  const env = envWithScratchIn('/tmp');
  const skipped = SUITES.flatMap((suite) => suite.groups())
    .flatMap((group) => group.cases)
    .filter((judged) => {
      const answer = evaluateNeeds([...judged.info.needs, ...(judged.needsFor?.(env) ?? [])], env);
      return answer.met === false && /nosuid mount/.test(answer.reason);
    })
    .map((judged) => `${judged.info.specIds.join(',')} ${judged.info.properties.mode}`)
    .sort();
  t.deepEqual(skipped, ['USER-30 root', 'USER-33 root', 'USER-33 unprivileged', 'USER-34 root']);
});

test.serial(
  'a real run with TMPDIR on a nosuid tmpfs (in a mount namespace of its own) skips those cases instead of failing them',
  async (t) => {
    if (process.geteuid?.() !== 0) return t.pass('needs root to mount a tmpfs in a mount namespace of its own');
    if (spawnSync('unshare', ['--version']).status !== 0) return t.pass('unshare(1) is not installed');
    await withDir(
      async ({ path }) => {
        const scratch = join(path, 'tmp');
        mkdirSync(scratch);
        // The tmpfs lives and dies with the mount namespace: nothing to unmount after.
        const prefix = [
          'unshare',
          '--mount',
          '--propagation',
          'private',
          'sh',
          '-c',
          'mount -t tmpfs -o nosuid,mode=1777 nsconform-nosuid-test "$0" && TMPDIR="$0" exec "$@"',
          scratch,
        ];
        const run = await runCli(
          [
            '--only',
            'user › user › a set-user-ID program*',
            '--only',
            'user › user › v3 file capabilities*',
            '--junit',
            join(path, 'junit.xml'),
            '--json',
            join(path, 'results.json'),
          ],
          prefix,
        );
        t.is(run.code, 0, run.stdout + run.stderr);
        t.regex(run.stdout, /0 failed, 4 skipped/);
        const report = JSON.parse(readFileSync(join(path, 'results.json'), 'utf8')) as {
          cases: Array<{ id: string; status: string; reason?: string }>;
        };
        const userCases = report.cases.filter((entry) => entry.id.startsWith('user ›'));
        t.deepEqual(
          userCases.map((entry) => entry.status),
          ['skip', 'skip', 'skip', 'skip'],
        );
        for (const entry of userCases) t.regex(entry.reason ?? '', /scratch location \S+ is on a nosuid mount/);
      },
      { unsafeCleanup: true },
    );
  },
);
