// Host guard, files: writes are judged by what the kernel resolves them to, never by path text (sandboxed, see guard-sandbox.ts).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { cgroup2Mount } from '../harness/env/filesystems.ts';
import { cgroupPlace, removeCgroupTree } from '../harness/run/run-cgroup.ts';
import { Script } from '../harness/script/builder.ts';
import { AF_UNIX, AT_FDCWD, CLONE, MS, O, SOCK_STREAM } from '../harness/script/constants.ts';
import { bytes, CASE_CGROUP, ref, str } from '../harness/script/encode.ts';
import { SANDBOX_HOST, sandboxRun, sandboxTest as test } from './guard-sandbox.ts';

const ORIGINAL = 'original';
/** A file outside the scratch dir the steps try to reach: $D/victim, holding "original", owned by root. */
const VICTIM_SETUP = `printf ${ORIGINAL} > "$D/victim"`;
const VICTIM_STATE = 'cat "$D/victim"; echo; stat -c "%u:%g %a" "$D/victim"';

/** /dev/mqueue in the sandbox only: a tmpfs over /dev (with /dev/null kept) holding an mqueue mount of the sandbox's IPC namespace. */
const SANDBOX_MQUEUE = [
  'touch "$D/null" && mount --bind /dev/null "$D/null"',
  'mount -t tmpfs -o mode=755 none /dev',
  'touch /dev/null && mount --bind "$D/null" /dev/null',
  'mkdir /dev/mqueue && mount -t mqueue none /dev/mqueue',
].join(' && ');

function guarded(value: unknown): boolean {
  return /^host safety: /.test(String(value));
}

// Each test runs twice: with openat2, and with the component walk the guard falls back to on kernels before 5.6.
const VARIANTS: ReadonlyArray<{ suffix: string; env: Record<string, string> }> = [
  { suffix: '', env: {} },
  { suffix: ' [without openat2]', env: { NSCONFORM_GUARD_NO_OPENAT2: '1' } },
];

for (const { suffix, env } of VARIANTS) {
  test(`a write through a symlink under the scratch dir does not reach the file it points to${suffix}`, async (t) => {
    const { run, state } = await sandboxRun(
      ({ dir }) => {
        const s = new Script();
        s.sys('link', 'symlink', str(`${dir}/victim`), str('{scratch}/l'));
        s.write('write', '{scratch}/l', 'changed');
        return s;
      },
      { setup: VICTIM_SETUP, inspect: VICTIM_STATE, env },
    );
    t.is(run.step('link')?.r, 0);
    t.true(guarded(run.step('write')?.guard), JSON.stringify(run.step('write')));
    t.is(state.split('\n')[0], ORIGINAL);
  });

  test(`a procfs mounted under the scratch dir does not make /proc/sys writable: {scratch}/p/sys/kernel/hostname is refused${suffix}`, async (t) => {
    const { run, state } = await sandboxRun(
      () => {
        const s = new Script();
        s.sys('ownMnt', 'unshare', CLONE.NEWNS);
        s.sys('dir', 'mkdir', str('{scratch}/p'), 0o755);
        s.sys('proc', 'mount', str('proc'), str('{scratch}/p'), str('proc'), 0, 0);
        s.write('name', '{scratch}/p/sys/kernel/hostname', 'nsconform-escaped');
        return s;
      },
      { inspect: 'hostname', env },
    );
    t.is(run.step('proc')?.r, 0);
    t.true(guarded(run.step('name')?.guard), JSON.stringify(run.step('name')));
    t.is(state.trim(), SANDBOX_HOST);
  });

  test(`chown of a scratch path that is a symlink (a planted {scratch}/d/capbin) changes the link, not its target${suffix}`, async (t) => {
    const { run, state } = await sandboxRun(
      ({ dir }) => {
        const s = new Script();
        s.sys('dir', 'mkdir', str('{scratch}/d'), 0o755);
        s.sys('plant', 'symlink', str(`${dir}/victim`), str('{scratch}/d/capbin'));
        s.sys('chown', 'chown', str('{scratch}/d/capbin'), 4242, 4242);
        s.sys('chmod', 'chmod', str('{scratch}/d/capbin'), 0o4777);
        return s;
      },
      { setup: VICTIM_SETUP, inspect: VICTIM_STATE, env },
    );
    t.is(run.step('plant')?.r, 0);
    t.is(run.step('chmod')?.r, -1, 'chmod of a symlink is refused rather than followed');
    t.is(state.split('\n')[1], '0:0 644');
  });

  test(`chroot is allowed only into the scratch dir, so a chroot elsewhere cannot turn the write guard off${suffix}`, async (t) => {
    const { run, state } = await sandboxRun(
      ({ dir }) => {
        const s = new Script();
        s.sys('elsewhere', 'chroot', str(dir));
        s.write('write', '/victim', 'changed');
        s.sys('mkdir', 'mkdir', str('{scratch}/root'), 0o755);
        s.sys('inside', 'chroot', str('{scratch}/root'));
        s.write('after', '/victim', 'changed');
        return s;
      },
      { setup: VICTIM_SETUP, inspect: VICTIM_STATE, env },
    );
    t.true(guarded(run.step('elsewhere')?.guard));
    t.is(run.step('inside')?.r, 0, 'below the scratch dir chroot works');
    t.is(run.step('after')?.r, -1);
    t.is(state.split('\n')[0], ORIGINAL);
  });

  test(`a path that matches "/proc/*/uid_map" only because * spans slashes (/proc/self/root/.../uid_map) is refused${suffix}`, async (t) => {
    const { run, state } = await sandboxRun(
      ({ dir }) => {
        const s = new Script();
        s.write('write', `/proc/self/root${dir}/uid_map`, 'changed');
        return s;
      },
      { setup: `printf ${ORIGINAL} > "$D/uid_map"`, inspect: 'cat "$D/uid_map"', env },
    );
    t.true(guarded(run.step('write')?.guard), JSON.stringify(run.step('write')));
    t.is(state, ORIGINAL);
  });

  test(`bind of an AF_UNIX path outside the scratch dir, or of an abstract name in a net namespace the script did not create, is refused${suffix}`, async (t) => {
    const { run, state } = await sandboxRun(
      ({ dir }) => {
        const s = new Script();
        const path = Buffer.alloc(110);
        path.writeUInt16LE(AF_UNIX, 0);
        path.write(`${dir}/sock`, 2, 'latin1');
        const abstract = Buffer.from('\x01\x00\x00nsconform-guard-test', 'latin1');
        s.sys('sock', 'socket', AF_UNIX, SOCK_STREAM, 0);
        s.sys('path', 'bind', ref('sock'), bytes(path), path.length);
        s.sys('sock2', 'socket', AF_UNIX, SOCK_STREAM, 0);
        s.sys('abstract', 'bind', ref('sock2'), bytes(abstract), abstract.length);
        return s;
      },
      { inspect: 'ls "$D"', env },
    );
    t.true(guarded(run.step('path')?.guard), JSON.stringify(run.step('path')));
    t.true(guarded(run.step('abstract')?.guard), JSON.stringify(run.step('abstract')));
    t.notRegex(state, /^sock$/m);
  });

  test(`MS_REMOUNT of a superblock the script did not mount is refused even from its own mount namespace (it would change the host's)${suffix}`, async (t) => {
    const { run, state } = await sandboxRun(
      ({ dir }) => {
        const s = new Script();
        s.sys('ownMnt', 'unshare', CLONE.NEWNS);
        s.sys('remount', 'mount', 0, str(`${dir}/fs`), 0, MS.REMOUNT | MS.RDONLY, 0);
        s.sys('tmpDir', 'mkdir', str('{scratch}/own'), 0o755);
        s.sys('own', 'mount', str('none'), str('{scratch}/own'), str('tmpfs'), 0, 0);
        s.sys('ownRemount', 'mount', 0, str('{scratch}/own'), 0, MS.REMOUNT | MS.RDONLY, 0);
        return s;
      },
      { setup: 'mkdir "$D/fs" && mount -t tmpfs none "$D/fs"', inspect: 'touch "$D/fs/x" && echo writable', env },
    );
    t.true(guarded(run.step('remount')?.guard), JSON.stringify(run.step('remount')));
    t.is(run.step('ownRemount')?.r, 0, 'a superblock the script mounted itself may be remounted');
    t.is(state.trim(), 'writable');
  });

  test(`/dev/mqueue is writable only from an IPC namespace the script created, not merely from its own mount namespace${suffix}`, async (t) => {
    const { run, state } = await sandboxRun(
      () => {
        const s = new Script();
        s.sys('ownMnt', 'unshare', CLONE.NEWNS);
        s.sys('queue', 'openat', AT_FDCWD, str('/dev/mqueue/nsconform-escaped'), O.WRONLY | O.CREAT, 0o600);
        return s;
      },
      { setup: SANDBOX_MQUEUE, inspect: 'ls /dev/mqueue', env },
    );
    t.true(guarded(run.step('queue')?.guard), JSON.stringify(run.step('queue')));
    t.is(state.trim(), '');
  });

  test(`a cgroup the script did not create is not writable (no more "any /nsconform- path"), and it makes new ones only below its case's cgroup, never at the root${suffix}`, async (t) => {
    const place = cgroupPlace();
    if (!place.ok) return t.pass(`no case cgroup here: ${place.reason}`);
    const foreign = `${cgroup2Mount()}/nsconform-guard-test-${randomBytes(4).toString('hex')}`;
    const runCgroup = join(place.parent, `nsconform-run-${process.pid}-guard${randomBytes(4).toString('hex')}`);
    mkdirSync(foreign);
    mkdirSync(runCgroup);
    try {
      const { run, state } = await sandboxRun(
        () => {
          const s = new Script();
          s.write('limit', `${foreign}/cgroup.max.descendants`, '1');
          s.sys('remove', 'rmdir', str(foreign));
          s.sys('atRoot', 'mkdir', str(`${foreign}-own`), 0o755);
          s.sys('own', 'mkdir', str(`${CASE_CGROUP}/own`), 0o755);
          s.write('ownLimit', `${CASE_CGROUP}/own/cgroup.max.descendants`, '1');
          s.sys('ownRemove', 'rmdir', str(`${CASE_CGROUP}/own`));
          return s;
        },
        { inspect: `cat ${foreign}/cgroup.max.descendants`, env: { ...env, NSCONFORM_CGROUP: runCgroup } },
      );
      t.true(guarded(run.step('limit')?.guard), JSON.stringify(run.step('limit')));
      t.true(guarded(run.step('remove')?.guard));
      t.true(guarded(run.step('atRoot')?.guard), 'not even an nsconform-* name at the root');
      t.is(run.step('own')?.r, 0, "below the case's cgroup it may");
      t.is(run.step('ownLimit')?.r, 1, 'a cgroup the script made is its own');
      t.is(run.step('ownRemove')?.r, 0);
      t.is(state.trim(), 'max');
    } finally {
      for (const path of [foreign, `${foreign}-own`]) if (existsSync(path)) rmdirSync(path);
      removeCgroupTree(runCgroup);
    }
  });

  test(`execfile runs only a file in the scratch dir or the script's own filesystems, not any path${suffix}`, async (t) => {
    const { run, state } = await sandboxRun(
      ({ dir }) => {
        const s = new Script();
        s.step('exec', 'execfile', `${dir}/tool`, 2, 'ran');
        return s;
      },
      {
        setup: 'printf "#!/bin/sh\\necho ran > /dev/tcp/0/0\\nexit 7\\n" > "$D/tool"; chmod 755 "$D/tool"',
        inspect: 'echo done',
        env,
      },
    );
    t.true(guarded(run.step('exec')?.guard), JSON.stringify(run.step('exec')));
    t.is(state.trim(), 'done');
  });
}
