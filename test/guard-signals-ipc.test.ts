// Host guard, signals and SysV IPC: no signal reaches a process outside the script, no host object is removed or leaked.
import { Script } from '../harness/script/builder.ts';
import { IPC, SIG } from '../harness/script/constants.ts';
import { out, ref } from '../harness/script/encode.ts';
import { sandboxRun, sandboxTest as test } from './guard-sandbox.ts';

/** A process of the sandbox, not of the script: its pid (as the sandbox numbers it) is in {scratch}/victim.pid. */
const SLEEPER = 'sleep 600 & echo $! > "$D/scratch/victim.pid"';
const SLEEPER_STATE = 'kill -0 "$(cat "$D/scratch/victim.pid")" && echo alive; kill "$(cat "$D/scratch/victim.pid")"';

test('tgkill, tkill, rt_sigqueueinfo and pidfd_send_signal to a process outside the script are refused, not only kill', async (t) => {
  const { run, state } = await sandboxRun(
    () => {
      const s = new Script();
      // The victim's pid as the sandbox numbers it: a regression would kill it; containment alone makes it invisible.
      s.step('victim', 'readnum', '{scratch}/victim.pid');
      s.sys('tgkill', 'tgkill', ref('victim'), ref('victim'), SIG.KILL);
      s.sys('tkill', 'tkill', ref('victim'), SIG.KILL);
      s.sys('queue', 'rt_sigqueueinfo', ref('victim'), SIG.KILL, out(128));
      s.sys('pidfd', 'pidfd_open', ref('victim'), 0);
      s.sys('sendVictim', 'pidfd_send_signal', ref('pidfd'), SIG.KILL, 0, 0);
      // pid 1 is visible to every script, and is not the script's: contained, it is the case's init.
      s.sys('initFd', 'pidfd_open', 1, 0);
      s.sys('send', 'pidfd_send_signal', ref('initFd'), 0, 0, 0);
      return s;
    },
    { setup: SLEEPER, inspect: SLEEPER_STATE },
  );
  for (const label of ['tgkill', 'tkill', 'queue', 'send'])
    t.regex(String(run.step(label)?.guard), /^host safety: /, label);
  t.is(state.trim(), 'alive');
});

const KEY = 0x4e534331;

test("msgget(IPC_CREAT) of a key the host already has does not make the host's queue the script's: it is neither removed nor touched", async (t) => {
  const { run, state } = await sandboxRun(
    () => {
      const s = new Script();
      s.sys('get', 'msgget', KEY, IPC.CREAT | 0o600);
      return s;
    },
    { setup: `perl -e 'msgget(${KEY}, 01000 | 0600) >= 0 or die "msgget: $!"'`, inspect: 'ipcs -q' },
  );
  t.true((run.step('get')?.r ?? -1) >= 0);
  t.regex(state, new RegExp(`0x${KEY.toString(16)}`), 'the root-owned 0600 queue the sandbox made is still there');
});

test('a queue made with IPC_PRIVATE (no IPC_CREAT needed) does not outlive the script', async (t) => {
  const { run, state } = await sandboxRun(
    () => {
      const s = new Script();
      s.sys('private', 'msgget', IPC.PRIVATE, 0o600);
      return s;
    },
    { inspect: 'ipcs -q | grep -c "^0x" || true' },
  );
  t.true((run.step('private')?.r ?? -1) >= 0);
  t.is(state.trim(), '0');
});

test("uncontained (a non-root runner), a script's msgget(IPC_CREAT) of an existing key does not get that queue removed after it", async (t) => {
  const runner = 64646;
  const { run, state } = await sandboxRun(
    () => {
      const s = new Script();
      s.sys('get', 'msgget', KEY, IPC.CREAT | 0o600);
      s.sys('made', 'msgget', IPC.PRIVATE, 0o600);
      return s;
    },
    {
      runAs: runner,
      setup: `setpriv --reuid=${runner} --regid=${runner} --clear-groups perl -e 'msgget(${KEY}, 01000 | 0600) >= 0 or die "msgget: $!"'`,
      inspect: 'ipcs -q | grep -c "^0x"; ipcs -q',
    },
  );
  t.true((run.step('get')?.r ?? -1) >= 0);
  t.regex(
    state,
    new RegExp(`0x${KEY.toString(16)}`),
    "the runner's own queue the script only looked up is still there",
  );
  t.is(state.split('\n')[0], '1', 'and the IPC_PRIVATE queue the script made is gone');
});
