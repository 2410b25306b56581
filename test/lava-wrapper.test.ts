// lava/run-nsconform.sh outside and inside LAVA (a recording lava-test-case): it never fails the step, and its nsconform-run case says whether the run itself worked.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';
import { PROJECT_DIR } from './lava/lava-job.ts';

const WRAPPER = join(PROJECT_DIR, 'lava', 'run-nsconform.sh');

function runWrapper(dir: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.GITHUB_STEP_SUMMARY;
  return spawnSync('sh', [WRAPPER, '--nsconform', PROJECT_DIR, '--output', join(dir, 'output'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env,
    timeout: 110000,
  });
}

test('outside LAVA: the cases as signals and result.txt, then nsconform-run pass in both', async (t) => {
  await withDir(
    ({ path }) => {
      const run = runWrapper(path, ['--only', 'uts?›?uts?›*', '--mode', 'unprivileged']);
      t.is(run.status, 0, run.stderr);
      t.regex(run.stdout, /<LAVA_SIGNAL_TESTSET START uts>/);
      t.regex(run.stdout, /<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=initial-copy_unprivileged RESULT=pass>/);
      t.regex(run.stdout, /^nsconform-run pass$/m);
      const resultTxt = readFileSync(join(path, 'output', 'result.txt'), 'utf8');
      t.regex(resultTxt, /^initial-copy_unprivileged pass$/m);
      t.true(resultTxt.endsWith('nsconform-run pass\n'));
      return Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});

test('an exit status that means a usage or environment problem fails nsconform-run, and the step still exits 0', async (t) => {
  await withDir(
    ({ path }) => {
      const run = runWrapper(path, ['--mode', 'sideways']);
      t.is(run.status, 0);
      t.regex(
        run.stdout,
        /nsconform-run: nsconform exit 2 \(bad usage or an environment the suite cannot run in; nothing ran\), and it wrote no results/,
      );
      t.regex(run.stdout, /^nsconform-run fail$/m);
      return Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});

test('inside LAVA the run case goes through lava-test-case, a child process', async (t) => {
  await withDir(
    ({ path }) => {
      const bin = join(path, 'bin');
      spawnSync('mkdir', [bin]);
      writeFileSync(join(bin, 'lava-test-case'), `#!/bin/sh\necho "$@" >> ${join(path, 'calls')}\n`);
      chmodSync(join(bin, 'lava-test-case'), 0o755);
      const run = spawnSync('sh', [WRAPPER, '--nsconform', join(path, 'nowhere'), '--output', join(path, 'output')], {
        cwd: path,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
      });
      t.is(run.status, 0);
      t.regex(run.stdout, /no nsconform at .*nowhere/);
      t.is(readFileSync(join(path, 'calls'), 'utf8'), 'nsconform-run --result fail\n');
      t.false(existsSync(join(path, 'output', 'result.txt')));
      return Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});
