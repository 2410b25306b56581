// The observer builds where the headers predate clone3, pidfds and time namespaces (EL8's 4.18 uapi and glibc 2.28), through native/src/compat.h.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';

const CACHE = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nsconform', 'headers');
const HEADERS = join(CACHE, 'bullseye', 'usr', 'include');
const SOURCES = join(import.meta.dirname, '..', 'native', 'src');
const ARCH = 'x86_64-linux-gnu';

function sh(command: string, args: string[], cwd = CACHE): { ok: boolean; out: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  return { ok: result.status === 0, out: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

/** Bullseye's linux-libc-dev (5.10 uapi), fetched once with a private apt list for that suite; the machine's sources stay as they are. */
function fetchBullseyeHeaders(): string | null {
  if (existsSync(join(HEADERS, 'linux', 'sched.h'))) return null;
  if (process.arch !== 'x64') return 'the old header set is x86-64';
  const apt = join(CACHE, 'apt');
  mkdirSync(join(apt, 'lists', 'partial'), { recursive: true });
  writeFileSync(
    join(apt, 'sources.list'),
    'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bullseye main\n',
  );
  const options = [
    '-o',
    `Dir::Etc::sourcelist=${join(apt, 'sources.list')}`,
    '-o',
    'Dir::Etc::sourceparts=-',
    '-o',
    `Dir::State::Lists=${join(apt, 'lists')}`,
    '-o',
    `Dir::Cache=${join(apt, 'cache')}`,
  ];
  const update = sh('apt-get', [...options, '-qq', 'update']);
  if (!update.ok) return `cannot fetch bullseye's linux-libc-dev (apt-get update: ${update.out.split('\n').pop()})`;
  const madison = sh('apt-cache', [...options, 'madison', 'linux-libc-dev']);
  const version = madison.out
    .split('\n')
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .find((cells) => cells[2]?.includes('bullseye'))?.[1];
  if (!version) return "bullseye's package list names no linux-libc-dev";
  const download = sh('apt-get', [...options, 'download', `linux-libc-dev=${version}`]);
  const deb = readdirSync(CACHE).find((file) => file.startsWith(`linux-libc-dev_${version}`));
  if (!download.ok || !deb) return `cannot fetch bullseye's linux-libc-dev (${download.out.split('\n').pop()})`;
  const unpack = sh('dpkg-deb', ['-x', deb, join(CACHE, 'bullseye')]);
  return unpack.ok ? null : `dpkg-deb -x ${deb}: ${unpack.out}`;
}

function edit(from: string, to: string, change: (text: string) => string): void {
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, change(readFileSync(from, 'utf8')));
}

/**
 * 4.18-era headers from bullseye's: no syscall numbers past 4.18's table (rseq, 334) — among them
 * clone3, pidfd_open and the mount API — no struct clone_args, CLONE_PIDFD or CLONE_NEWTIME, in
 * the uapi nor in glibc's <bits/sched.h> (glibc 2.28 had none of them).
 */
function makeOldOverlay(overlay: string): void {
  edit(join(HEADERS, ARCH, 'asm', 'unistd_64.h'), join(overlay, ARCH, 'asm', 'unistd_64.h'), (text) =>
    text.replace(/^#define __NR_\w+ (\d+)\n/gm, (line, nr: string) => (Number(nr) > 334 ? '' : line)),
  );
  edit(join(HEADERS, 'linux', 'sched.h'), join(overlay, 'linux', 'sched.h'), (text) =>
    text
      .replace(/\/\*\*[^]*?\*\/\s*struct clone_args \{[^]*?\};/, '')
      .replace(
        /^#define (CLONE_PIDFD|CLONE_NEWTIME|CLONE_CLEAR_SIGHAND|CLONE_INTO_CGROUP|CLONE_ARGS_SIZE_VER\d)\b.*\n/gm,
        '',
      ),
  );
  edit(`/usr/include/${ARCH}/bits/sched.h`, join(overlay, ARCH, 'bits', 'sched.h'), (text) =>
    text.replace(
      /^# ?define (CLONE_PIDFD|CLONE_NEWTIME|CLONE_CLEAR_SIGHAND|CLONE_INTO_CGROUP)\b.*\n(\s+[^#\n].*\n)*/gm,
      '',
    ),
  );
}

const includeFlags = (dirs: string[]): string[] =>
  dirs.flatMap((dir) => ['-isystem', dir, '-isystem', join(dir, ARCH)]);

function compile(flags: string[], output: string, files: string[]): { ok: boolean; out: string } {
  return sh(
    process.env.CC ?? 'cc',
    ['-std=gnu11', '-O2', '-Wall', '-pthread', ...flags, '-o', output, ...files],
    SOURCES,
  );
}

const skipReason =
  spawnSync(process.env.CC ?? 'cc', ['--version']).status === 0 ? fetchBullseyeHeaders() : 'no C compiler';
const title =
  "the observer builds against old uapi headers: bullseye's 5.10 and a 4.18-era set without clone3, pidfd or time-namespace definitions";

(skipReason ? test.skip : test)(skipReason ? `${title} — skipped: ${skipReason}` : title, async (t) => {
  await withDir(
    async ({ path }) => {
      const overlay = join(path, 'old');
      makeOldOverlay(overlay);
      const old = includeFlags([overlay, HEADERS]);
      const probe = join(path, 'probe.c');
      writeFileSync(
        probe,
        '#define _GNU_SOURCE\n#include <sched.h>\n#include <linux/sched.h>\n#include <sys/syscall.h>\n#if defined(SYS_clone3) || defined(SYS_pidfd_open) || defined(CLONE_NEWTIME) || defined(CLONE_PIDFD) || defined(CLONE_ARGS_SIZE_VER0)\n#error new definitions visible\n#endif\nint main(void) { return 0; }\n',
      );
      const probed = compile(old, join(path, 'probe'), [probe]);
      t.true(probed.ok, `the 4.18-era set still shows newer definitions: ${probed.out}`);
      const sources = readdirSync(SOURCES).filter((name) => name.endsWith('.c'));
      for (const [name, flags] of [
        ['5.10', includeFlags([HEADERS])],
        ['4.18-era', old],
      ] as const) {
        const built = compile([...flags], join(path, `observer-${name}`), sources);
        t.true(built.ok, `build against the ${name} headers failed:\n${built.out}`);
      }
      await Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});
