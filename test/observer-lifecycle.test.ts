// The observer's side of "nothing left behind": its host queue is private and journaled; a case's leftovers are killed, not waited for.
import { spawn } from 'node:child_process';
import { closeSync, readdirSync, readFileSync } from 'node:fs';
import test from 'ava';
import { OBSERVER_BINARY } from '../harness/observer/binary.ts';
import { ObserverClient } from '../harness/observer/client.ts';
import { encodeRunRequest } from '../harness/observer/request.ts';
import { Script } from '../harness/script/builder.ts';
import { CLONE } from '../harness/script/constants.ts';
import { ScriptRun } from '../harness/script/run.ts';
import { readIpcObjects } from '../harness/host/sysv-ipc.ts';
import { parseObserverLog } from '../harness/run/observer-log.ts';
import { journalLog } from './live-journal.ts';

const IS_ROOT = process.geteuid?.() === 0;

test('the matrix queue is created exclusively, mode 0600, keyed by its observer, and journaled before it exists', async (t) => {
  // The log is one of the test process's own (live) journal: a run going on meanwhile ignores the queue.
  const { fd, path: log } = journalLog();
  const observer = spawn(OBSERVER_BINARY, [], {
    stdio: ['pipe', 'pipe', 'inherit', fd],
    env: {
      ...process.env,
      NSCONFORM_JOURNAL_FD: '3',
      NSCONFORM_UNCONTAINED: 'test: the queue of an uncontained case lives in the host IPC namespace',
    },
  });
  closeSync(fd);
  const key = ((0x6e << 24) | (observer.pid! & 0xffffff)) >>> 0;
  const answered = new Promise<string>((resolve) =>
    observer.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString())),
  );
  // The child hangs until the deadline, so the queue is there to be looked at.
  observer.stdin!.write(
    encodeRunRequest(1, {
      path: 'clone3',
      cloneFlags: 0,
      drop: null,
      timeoutMs: 1500,
      scratch: null,
      hostname: null,
      ops: ['msgget', 'hang'],
    }),
  );
  let seen = null;
  for (let tries = 0; tries < 100 && !seen; tries++) {
    seen = readIpcObjects('msg')?.find((object) => object.key === key) ?? null;
    if (!seen) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await answered;
  observer.stdin!.end('quit\n');
  await new Promise((resolve) => observer.once('exit', resolve));
  t.truthy(seen, `no queue with key 0x${key.toString(16)}`);
  t.is((seen?.mode ?? 0) & 0o777, 0o600, 'nobody but its owner may open the queue');
  t.falsy(
    readIpcObjects('msg')?.find((object) => object.key === key),
    'the queue is removed after the case',
  );
  const text = readFileSync(log, 'utf8');
  t.regex(
    text,
    new RegExp(
      `^observer ${observer.pid} \\d+\\nmsgkey 0x${key.toString(16)}\\nmsg ${seen?.id ?? -1} 0x${key.toString(16)}\\n`,
    ),
  );
  const parsed = parseObserverLog(text);
  t.is(parsed.objects.size, 0, 'the journal says it was removed');
  t.is(parsed.groups.size, 0, 'and the case group reaped');
});

/** Pids of processes running `sleep <seconds>`. */
function sleepers(seconds: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8') === `sleep\0${seconds}\0`;
      } catch {
        return false;
      }
    })
    .map(Number);
}

test('a process a case leaves in a session of its own is killed at once, not waited for up to the reap bound', async (t) => {
  if (!IS_ROOT) return t.pass('needs root for a namespace setsid may run in (skipped)');
  const s = new Script();
  s.sys('own', 'unshare', CLONE.NEWNS | CLONE.NEWUTS | CLONE.NEWIPC | CLONE.NEWNET);
  // setsid -f forks and its parent exits at once: sleep is reparented to the observer, outside the case's group.
  s.run('escape', 0, null, '/bin/sh', 'sh', '-c', 'setsid -f sleep 31.5 </dev/null >/dev/null 2>&1');
  const client = new ObserverClient(OBSERVER_BINARY);
  try {
    const record = await client.script({ drop: null, timeoutMs: 5000, scratch: null, lines: s.lines });
    t.is(new ScriptRun(record).step('escape')?.code, 0, JSON.stringify(record.steps));
    t.is(record.outcome, 'observed');
    t.true(record.durationNs < 1e9, `the script took ${record.durationNs / 1e6} ms: it waited for the escaped process`);
    t.deepEqual(sleepers('31.5'), [], 'the escaped process is gone');
  } finally {
    await client.close();
    for (const pid of sleepers('31.5')) process.kill(pid, 'SIGKILL');
  }
});
