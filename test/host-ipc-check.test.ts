// The host check's SysV part: judges only what this run could have changed, names objects readably, and still catches this run's leak.
import { spawnSync } from 'node:child_process';
import test from 'ava';
import koffi from 'koffi';
import { checkIpcAfterRun, judgeIpcChanges, takeIpcSnapshot } from '../harness/host/ipc-check.ts';
import { readIpcObjects, removeIpcObject, type IpcObject } from '../harness/host/sysv-ipc.ts';
import { diffHostSnapshots, takeHostSnapshot } from '../harness/host/snapshot.ts';
import { findJournalRoot } from '../harness/run/journal.ts';
import { announceQueueKey, journalQueue, journaledTempDir, removeJournaledDir } from './live-journal.ts';

const msgget = koffi.load('libc.so.6').func('int msgget(int key, int flags)') as (key: number, flags: number) => number;
const IPC_CREAT_EXCL_0600 = 0o1000 | 0o2000 | 0o600;
const EUID = process.geteuid?.() ?? 0;

const queue = (id: number, key: number, cuid = EUID): IpcObject => ({
  kind: 'msg',
  id,
  key,
  mode: 0o600,
  uid: cuid,
  cuid,
});
const none = () => ({ ids: new Set<string>(), keys: new Set<number>() });

test("another run's objects, named in its journal, are not this run's change; this run's leak is, in hex with owner and mode", (t) => {
  const other = queue(11, 0x6e001234);
  const mine = queue(12, 0x6e005678);
  const changes = judgeIpcChanges([], [other, mine], {
    own: { ids: new Set(['msg 12']), keys: new Set() },
    others: { ids: new Set(), keys: new Set([0x6e001234]) },
    uids: new Set([EUID]),
  });
  t.deepEqual(changes, [
    `SysV message queue key 0x6e005678 id 12 (uid ${EUID}, mode 0600) was created by this run and is still there`,
  ]);
});

test('an object created by a uid the run never had is not blamed on it; one of its uids is; a removal is', (t) => {
  const foreign = queue(21, 0, 4242);
  const unnamed = queue(22, 0xdeadbeef);
  const gone = queue(23, 0x1);
  const changes = judgeIpcChanges([gone], [foreign, unnamed], {
    own: none(),
    others: none(),
    uids: new Set([0, 64646]),
  });
  t.is(changes.length, 2);
  t.regex(changes[0] ?? '', /^SysV message queue key 0xdeadbeef id 22 \(uid \d+, mode 0600\) appeared during the run/);
  t.regex(changes[1] ?? '', /^SysV message queue key 0x00000001 id 23 .* was removed during the run$/);
  for (const change of changes) t.notRegex(change, / -\d+ /, 'no negative decimal keys');
});

test('the text snapshot no longer compares host-wide SysV IPC, which other runs change', (t) => {
  t.false(Object.keys(takeHostSnapshot()).some((section) => section.startsWith('sysvipc')));
  t.deepEqual(diffHostSnapshots(takeHostSnapshot(), takeHostSnapshot()).run, []);
});

/**
 * The "leaked" queue is made by uid 4243 (ipcmk under setpriv) and judged for a run of that uid: a real run
 * going on at the same time (the e2e test) has other uids and so rightly ignores it.
 */
function makeQueueAs(uid: number): number {
  const made = spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', 'ipcmk', '-Q'], {
    encoding: 'utf8',
  });
  return Number(/id: (\d+)/.exec(made.stdout)?.[1] ?? -1);
}

test("on the real host: a queue another live run journaled is ignored, one this run's uid left unnamed is caught", async (t) => {
  if (EUID !== 0) return t.pass('needs root to make a queue as another uid (skipped)');
  if (!findJournalRoot(true)) return t.fail('no journal root');
  // This run's (empty) journal: a private dir of the test process's own journal (live-journal.ts).
  const own = journaledTempDir('nsconform-ipc-own-');
  const before = takeIpcSnapshot(own);
  // The live "other run" is this test process, whose journal names its queue before it exists: a killed test
  // leaves it to the janitor, not on the host.
  const key = (0x6a000000 | (process.pid & 0xffffff)) >>> 0;
  announceQueueKey(key);
  const theirs = msgget(key | 0, IPC_CREAT_EXCL_0600);
  journalQueue(theirs, key);
  const leaked = makeQueueAs(4243);
  try {
    const changes = await checkIpcAfterRun(before, own, new Set([4243]));
    // Unnamed until judged (named, it would be the other run's); then journaled, for a kill before its removal.
    const leakedKey = readIpcObjects('msg')?.find((object) => object.id === leaked)?.key;
    if (leakedKey !== undefined) journalQueue(leaked, leakedKey);
    const described = (id: number) => changes.some((change) => change.includes(` id ${id} `));
    t.false(described(theirs), "the other run's queue was blamed on this one");
    t.true(described(leaked), `this run's unnamed queue was not caught: ${changes.join('; ')}`);
  } finally {
    removeIpcObject('msg', theirs);
    removeIpcObject('msg', leaked);
    removeJournaledDir(own);
  }
  t.falsy(readIpcObjects('msg')?.find((object) => object.id === theirs || object.id === leaked));
});
