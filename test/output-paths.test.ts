// Report and VM output paths as a root run writes them: never through a symlink or hard link, release strings sanitised.
import { execFile } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { withDir } from 'tmp-promise';
import { checkReportPath } from '../harness/cli/report-path.ts';
import { UsageError, EnvironmentError } from '../harness/errors.ts';
import { ReportWriteError, writeReportFile } from '../harness/report/report-file.ts';
import { makeReleaseDir, releaseDirName } from '../harness/vm/release-dir.ts';

const CLI = new URL('../bin/nsconform.js', import.meta.url).pathname;
const inDir = (fn: (dir: string) => Promise<void> | void) =>
  withDir(async ({ path }) => fn(path), { unsafeCleanup: true });

test('a report path that is a symlink is refused before the run with one line', (t) =>
  inDir((dir) => {
    writeFileSync(join(dir, 'precious'), 'keep');
    symlinkSync(join(dir, 'precious'), join(dir, 'junit.xml'));
    t.throws(() => checkReportPath('--junit', join(dir, 'junit.xml')), {
      instanceOf: UsageError,
      message: /is a symbolic link/,
    });
  }));

test('as root, a report directory every user may write without the sticky bit is refused; /tmp (sticky) is not', (t) =>
  inDir((dir) => {
    if (process.geteuid?.() !== 0) {
      t.pass('only root runs refuse it (skipped)');
      return;
    }
    const open = join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    t.throws(() => checkReportPath('--json', join(open, 'r.json')), {
      instanceOf: UsageError,
      message: /writable by every user/,
    });
    t.is(checkReportPath('--json', join(dir, 'r.json')), join(dir, 'r.json'));
  }));

test('the report writer refuses a symlink or hard link swapped in during the run and leaves its target alone', (t) =>
  inDir((dir) => {
    const precious = join(dir, 'precious');
    writeFileSync(precious, 'keep');
    symlinkSync(precious, join(dir, 'via-symlink.xml'));
    linkSync(precious, join(dir, 'via-link.xml'));
    t.throws(() => writeReportFile('JUnit', join(dir, 'via-symlink.xml'), 'report'), {
      instanceOf: ReportWriteError,
      message: /symbolic link/,
    });
    t.throws(() => writeReportFile('JUnit', join(dir, 'via-link.xml'), 'report'), {
      instanceOf: ReportWriteError,
      message: /hard links/,
    });
    t.is(readFileSync(precious, 'utf8'), 'keep');
    writeReportFile('JUnit', join(dir, 'plain.xml'), 'report');
    writeReportFile('JUnit', join(dir, 'plain.xml'), 'new');
    t.is(readFileSync(join(dir, 'plain.xml'), 'utf8'), 'new');
  }));

test('the CLI given a symlinked report path prints one line and exits 2', (t) =>
  inDir(async (dir) => {
    writeFileSync(join(dir, 'precious'), 'keep');
    symlinkSync(join(dir, 'precious'), join(dir, 'junit.xml'));
    const failed = await promisify(execFile)(process.execPath, [
      CLI,
      '--junit',
      join(dir, 'junit.xml'),
      '--only',
      'none',
    ]).catch((error: { code: number; stderr: string }) => error);
    t.is('code' in failed ? failed.code : 0, 2);
    t.regex('stderr' in failed ? failed.stderr : '', /^nsconform: --junit .*: is a symbolic link; [^\n]*\n$/);
    t.is(readFileSync(join(dir, 'precious'), 'utf8'), 'keep');
  }));

test('a kernel release string becomes one harmless path component', (t) => {
  t.is(releaseDirName('6.1.0-56-amd64'), '6.1.0-56-amd64');
  t.is(releaseDirName('../../etc'), '______etc');
  t.is(releaseDirName('6.1..x'), '6.1__x');
  t.is(releaseDirName('..'), '__');
  t.is(releaseDirName('6.1\n/x\u001b[31m'), '6.1__x__31m');
  t.is(releaseDirName(''), '_');
  for (const hostile of ['../../../root/.ssh', '/etc/cron.d', 'a/../../b', '.hidden', '\0\x7f']) {
    const name = releaseDirName(hostile);
    t.false(
      name.includes('/') ||
        name.includes('..') ||
        name.startsWith('.') ||
        [...name].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f),
      `${JSON.stringify(hostile)} gave ${JSON.stringify(name)}`,
    );
  }
});

test('the VM reports directory stays under reports/ and is never a symlink', (t) =>
  inDir((dir) => {
    t.is(makeReleaseDir(dir, '../escape'), join(dir, '___escape'));
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync(join(dir, 'elsewhere'), join(dir, '6.1.0-planted'));
    t.throws(() => makeReleaseDir(dir, '6.1.0-planted'), { instanceOf: EnvironmentError, message: /symbolic link/ });
  }));
