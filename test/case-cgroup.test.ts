// Case cgroups: where the run has a cgroup, each case runs in a child of it that cgroup.kill ends and the observer removes.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ava from 'ava';
import { Script } from '../harness/script/builder.ts';
import { CLONE } from '../harness/script/constants.ts';
import { ScriptRun } from '../harness/script/run.ts';
import { cgroupPlace, describeCgroupPlace, removeCgroupTree } from '../harness/run/run-cgroup.ts';
import { makeOwnCgroups, moveInto, removeOwnCgroups } from '../suites/cgroup/hierarchy.ts';
import { sandboxRun, sandboxTest, withSandbox } from './guard-sandbox.ts';
import { claimCgroupsLeft } from './kill-probe.ts';

const place = cgroupPlace();
// Only where the guard tests' sandbox can be made (root and unshare(1)) and the run could have a cgroup.
const test = place.ok && sandboxTest === ava ? ava : ava.skip;
if (!place.ok) console.log(`case cgroup tests skipped: ${place.reason}`);

let made = 0;

/** A run cgroup of the test's own below the runner's, removed (with whatever the observer left in it) at the end. */
async function withRunCgroup<T>(fn: (path: string) => Promise<T>): Promise<T> {
  if (!place.ok) throw new Error(place.reason);
  const path = join(place.parent, `nsconform-run-${process.pid}-test${++made}`);
  mkdirSync(path, { mode: 0o700 });
  try {
    return await fn(path);
  } finally {
    removeCgroupTree(path);
  }
}

/** What the guard lets an uncontained script's tools run in: namespaces of their own. */
const OWN = CLONE.NEWUTS | CLONE.NEWNS | CLONE.NEWNET | CLONE.NEWIPC;

const caseCgroupOf = (text: string | undefined): string => /^0::(.*)$/m.exec(text ?? '')?.[1] ?? '';

test("each case's processes run in a cgroup of their own below the run's, removed once the case was reaped", async (t) => {
  await withRunCgroup(async (cgroup) => {
    const { run } = await sandboxRun(
      () => {
        const s = new Script();
        s.read('own', '/proc/self/cgroup');
        s.run('child', 0, null, '/bin/cat', 'cat', '/proc/self/cgroup');
        return s;
      },
      { env: { NSCONFORM_CGROUP: cgroup } },
    );
    const own = caseCgroupOf(run.step('own')?.text as string | undefined);
    t.regex(
      own,
      new RegExp(`/${cgroup.split('/').pop()}/case-\\d+-1$`),
      "the case's root is in a case cgroup below the run's",
    );
    t.is(caseCgroupOf(run.step('child')?.text as string | undefined), own, 'a process it starts is in the same cgroup');
    t.deepEqual(
      readdirSync(cgroup, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name),
      [],
      'the case cgroup was removed',
    );
  });
});

test('a case past its deadline leaves no process and no cgroup: a setsid -f process, uncontained, is killed and its case cgroup removed', async (t) => {
  await withRunCgroup(async (cgroup) => {
    const { run, state } = await sandboxRun(
      () => {
        const s = new Script();
        s.run(
          'escape',
          OWN,
          null,
          '/usr/bin/setsid',
          'setsid',
          '-f',
          '/bin/sh',
          '-c',
          'exec sleep 600 >/dev/null 2>&1',
        );
        s.run('hang', OWN, null, '/bin/sleep', 'sleep', '600');
        return s;
      },
      { env: { NSCONFORM_CGROUP: cgroup, NSCONFORM_UNCONTAINED: 'test' }, inspect: 'pgrep -c -x sleep || true' },
    );
    t.is(run.step('escape')?.code, 0, 'setsid -f started a sleeper in a session of its own');
    t.regex(String((run.record as { reason?: string }).reason), /deadline/);
    t.is(state.trim(), '0', 'no sleep is left');
    t.deepEqual(
      readdirSync(cgroup, { withFileTypes: true }).filter((entry) => entry.isDirectory()),
      [],
    );
  });
});

test('a cgroup claim killed at its deadline between making its cgroups and removing them leaves no nsconform-* cgroup anywhere under the cgroup2 mount', async (t) => {
  await withRunCgroup(async (cgroup) => {
    const { value: record } = await withSandbox({ env: { NSCONFORM_CGROUP: cgroup } }, (sandbox) => {
      // The claims' own steps (suites/cgroup/hierarchy.ts), with a member in cgroup a when the deadline strikes.
      const s = new Script();
      const own = makeOwnCgroups(s);
      s.fork('member', 'clone3', 0, (c) => c.await('never', 0));
      moveInto(s, 'intoA', own.a, 'member');
      s.wait('memberExit', 'member');
      removeOwnCgroups(s, own);
      return sandbox.script(s, 1500);
    });
    const left = claimCgroupsLeft(process.pid);
    try {
      const run = new ScriptRun(record);
      t.regex(String((record as { reason?: string }).reason), /deadline/);
      t.is(run.step('mkB')?.r, 0, 'the claim made its cgroups');
      t.true((run.step('intoA')?.r ?? -1) >= 0, 'and moved a member into one');
      t.is(run.step('rmBase'), undefined, 'the deadline came before it removed them');
      t.deepEqual(left, [], 'no cgroup of the claim is left');
      t.deepEqual(
        readdirSync(cgroup, { withFileTypes: true }).filter((entry) => entry.isDirectory()),
        [],
        'nor a case cgroup',
      );
    } finally {
      // An observer before the fix leaves them at the cgroup2 root: the test does not leave them on the host.
      for (const path of left) if (existsSync(path)) removeCgroupTree(path);
    }
  });
});

test('nsconform env says where case cgroups go, or why there are none', (t) => {
  t.regex(describeCgroupPlace(), /^each case in a cgroup of its own below \/.*, ended with cgroup\.kill$/);
  t.true(readFileSync('/proc/self/cgroup', 'utf8').includes('0::'));
});
