// The unprivileged drop leaves nothing: every capability set and securebits empty, checked, or the case cannot run.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { OBSERVER_BINARY } from '../harness/observer/binary.ts';
import { ObserverClient } from '../harness/observer/client.ts';
import { Script } from '../harness/script/builder.ts';
import { ScriptRun } from '../harness/script/run.ts';
import type { ScriptRecord } from '../harness/observer/record.ts';

const IS_ROOT = process.geteuid?.() === 0;
const DROP = { uid: 64646, gid: 64646 };

/** An observer started by setpriv with the given arguments, as a runner started that way would start it. */
async function withObserverUnder<T>(setprivArgs: string[], fn: (client: ObserverClient) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'nsconform-drop-'));
  const wrapper = join(dir, 'observer');
  writeFileSync(wrapper, `#!/bin/sh\nexec setpriv ${setprivArgs.join(' ')} ${OBSERVER_BINARY}\n`);
  chmodSync(wrapper, 0o755);
  const client = new ObserverClient(wrapper);
  try {
    return await fn(client);
  } finally {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const statusScript = (): Script => {
  const s = new Script();
  s.read('status', '/proc/self/status');
  return s;
};

function statusText(record: ScriptRecord): string {
  const text = new ScriptRun(record).step('status')?.text;
  return typeof text === 'string' ? text : '';
}

function capabilityLines(text: string): string[] {
  return text.split('\n').filter((line) => /^Cap(Inh|Prm|Eff|Amb):/.test(line));
}

for (const [what, args] of [
  ['SECBIT_NO_SETUID_FIXUP (which keeps capabilities across setresuid)', ['--securebits', '+no_setuid_fixup']],
  ['an inheritable capability', ['--inh-caps', '+net_raw']],
] as const) {
  test(`a drop from a runner with ${what} leaves every capability set empty`, async (t) => {
    if (!IS_ROOT) return t.pass('only a root runner drops ids: skipped');
    const record = await withObserverUnder([...args], (client) =>
      client.script({ drop: DROP, timeoutMs: 5000, scratch: null, lines: statusScript().lines }),
    );
    t.is(record.outcome, 'observed', record.reason);
    const text = statusText(record);
    t.deepEqual(
      capabilityLines(text).map((line) => line.replace(/\s+/g, ' ')),
      ['CapInh: 0000000000000000', 'CapPrm: 0000000000000000', 'CapEff: 0000000000000000', 'CapAmb: 0000000000000000'],
    );
    t.regex(text, /^Uid:\s+64646\s+64646\s+64646\s+64646$/m);
  });
}

test('securebits that cannot be cleared (locked) make the case fail to run, naming them, never a pass', async (t) => {
  if (!IS_ROOT) return t.pass('only a root runner drops ids: skipped');
  await withObserverUnder(['--securebits', '+no_setuid_fixup,+no_setuid_fixup_locked'], async (client) => {
    const script = await client.script({ drop: DROP, timeoutMs: 5000, scratch: null, lines: statusScript().lines });
    t.is(script.outcome, 'failed');
    t.regex(script.reason ?? '', /could not drop to 64646:64646: clearing securebits 0x\w+: EPERM/);
    const run = await client.run({
      path: 'unshare',
      cloneFlags: 0,
      drop: DROP,
      timeoutMs: 5000,
      scratch: null,
      hostname: null,
      ops: [],
    });
    t.not(run.outcome, 'observed');
    t.regex('reason' in run ? String(run.reason) : '', /drop privileges: clearing securebits/);
  });
});

test('where only uid 0 is mapped the drop happens in a nested user namespace, and leaves nothing either', async (t) => {
  if (!IS_ROOT) return t.pass('needs root to make a one-id user namespace here: skipped');
  const dir = mkdtempSync(join(tmpdir(), 'nsconform-drop-'));
  const wrapper = join(dir, 'observer');
  writeFileSync(wrapper, `#!/bin/sh\nexec unshare --user --map-root-user ${OBSERVER_BINARY}\n`);
  chmodSync(wrapper, 0o755);
  const client = new ObserverClient(wrapper);
  try {
    const record = await client.script({
      drop: { ...DROP, nested: true },
      timeoutMs: 5000,
      scratch: null,
      lines: statusScript().lines,
    });
    t.is(record.outcome, 'observed', record.reason);
    const text = statusText(record);
    t.true(capabilityLines(text).every((line) => / 0000000000000000$/.test(line.replace(/\s+/g, ' '))));
    t.regex(text, /^Uid:\s+64646\s+64646\s+64646\s+64646$/m);
    const plain = await client.script({ drop: DROP, timeoutMs: 5000, scratch: null, lines: statusScript().lines });
    t.regex(
      plain.reason ?? '',
      /setresuid\/setresgid to 64646:64646: EINVAL/,
      'without the nested namespace the id is not mapped',
    );
  } finally {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the dropped script's stdin and stdout are /dev/null, not the observer's protocol pipes", async (t) => {
  if (!IS_ROOT) return t.pass('only a root runner drops ids: skipped');
  const s = new Script();
  s.readlink('stdin', '/proc/self/fd/0');
  s.readlink('stdout', '/proc/self/fd/1');
  const record = await withObserverUnder([], (client) =>
    client.script({ drop: DROP, timeoutMs: 5000, scratch: null, lines: s.lines }),
  );
  t.is(record.outcome, 'observed', record.reason);
  const run = new ScriptRun(record);
  t.is(run.step('stdin')?.text, '/dev/null');
  t.is(run.step('stdout')?.text, '/dev/null');
});
