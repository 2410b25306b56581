// A real LAVA job: bookworm's lava-run boots Debian's 6.1 kernel in qemu with a ramdisk from the VM runner's pieces, runs lava/nsconform.yaml over a small selection, and its results must match nsconform's own.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';
import type { JsonDocument } from '../harness/diff/report-file.ts';
import { lavaCases } from '../harness/lava/lava-cases.ts';
import { renderResultTxt } from '../harness/lava/result-txt.ts';
import { probeBusybox } from '../harness/env/busybox.ts';
import { prepareDispatcher } from './lava/dispatcher.ts';
import { runLavaJob } from './lava/lava-job.ts';
import { readResultLines, readTargetLines } from './lava/lava-log.ts';
import { kcidbProblems } from './fixtures/kcidb-constraints.ts';

/** Parameters reach run.sh unquoted: "?" stands for each space of a case id. Six matrix cells and the UTS suite. */
const ONLY = 'matrix?›?pid+user?›*,uts?›*';
const TEST_MINUTES = 12;

function skipReason(): string | null {
  if (spawnSync('qemu-system-x86_64', ['--version']).status !== 0)
    return 'qemu-system-x86_64 is absent (apt-get install qemu-system-x86; .ci/run installs it)';
  if (spawnSync('cpio', ['--version']).status !== 0)
    return 'cpio is absent: lava-run unpacks the ramdisk with it (apt-get install cpio)';
  const busybox = probeBusybox();
  if (busybox.state !== 'yes') return busybox.detail;
  return null;
}

test('a lava-run job over lava/nsconform.yaml passes, its result lines match results.json case for case, and its KCIDB file meets the v5 constraints', async (t) => {
  t.timeout((TEST_MINUTES + 8) * 60000);
  const reason = skipReason();
  const dispatcher = reason === null ? prepareDispatcher() : { reason };
  if ('reason' in dispatcher) {
    t.log(`skipped: ${dispatcher.reason}`);
    t.pass();
    return;
  }
  await withDir(
    async ({ path }) => {
      const outDir = join(path, 'out');
      mkdirSync(outDir);
      const job = await runLavaJob(dispatcher, {
        workDir: path,
        outDir,
        testMinutes: TEST_MINUTES,
        parameters: { ONLY, TIMEOUT_MS: '30000', KCIDB_ORIGIN: 'nsconform_e2e', KCIDB_BUILD_ID: 'nsconform_e2e:local' },
      });
      t.log(`lava-run: ${job.seconds.toFixed(1)} s on ${job.kernelRelease}`);
      const lines = readResultLines(job.log);
      const tail = (): string => readTargetLines(job.log).slice(-15).join('\n');
      t.is(job.exitCode, 0, `lava-run exit ${job.exitCode}; the device's last lines:\n${tail()}`);
      t.deepEqual(
        lines.filter((line) => line.definition === 'lava' && line.case === 'job').map((line) => line.result),
        ['pass'],
      );
      t.deepEqual(
        lines.filter((line) => line.case === 'nsconform-run').map((line) => line.result),
        ['pass'],
        tail(),
      );

      t.true(existsSync(join(outDir, 'results.json')), 'the guest wrote results.json to the report share');
      const document = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as JsonDocument;
      const expected = lavaCases(document.cases, 'cell').map((entry) => `${entry.set}/${entry.name} ${entry.result}`);
      const reported = lines
        .filter((line) => line.definition === '0_nsconform' && line.case !== 'nsconform-run')
        .map((line) => `${line.set}/${line.case} ${line.result}`);
      t.deepEqual(reported, expected);
      t.is(expected.filter((line) => line.startsWith('matrix/')).length, 6, 'pid+user: three paths × two modes');
      t.true(document.cases.length > 50);
      t.is(readFileSync(join(outDir, 'result.txt'), 'utf8'), renderResultTxt(lavaCases(document.cases, 'cell')));

      const kcidb = JSON.parse(readFileSync(join(outDir, 'kcidb.json'), 'utf8')) as {
        tests: Array<{ path: string; status: string }>;
      };
      t.deepEqual(kcidbProblems(kcidb), []);
      t.deepEqual(
        kcidb.tests.map((entry) => `${entry.path} ${entry.status}`),
        lavaCases(document.cases, 'cell').map(
          (entry) => `nsconform.${entry.set}.${entry.name} ${entry.status.toUpperCase()}`,
        ),
      );
      t.false(
        readTargetLines(job.log).some((line) => /ERR_MODULE_NOT_FOUND|Traceback/.test(line)),
        'no error printed on the device',
      );
      t.false(
        readTargetLines(job.log).some((line) => line.includes('\u001b[K')),
        'nsconform wrote to a pipe, not redrawing a progress line on the console',
      );
    },
    { unsafeCleanup: true },
  );
});
