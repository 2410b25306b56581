// Observers the tests start journal like a run's, under this test process's own (live) run name: a real run going
// on beside the tests (the e2e and kill-safety tests) then leaves their host IPC objects alone, as another run's.
import { mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { processStart } from '../harness/host/processes.ts';
import { OBSERVER_BINARY } from '../harness/observer/binary.ts';
import { ObserverClient } from '../harness/observer/client.ts';
import { findJournalRoot } from '../harness/run/journal.ts';

let dir: string | null = null;
let logs = 0;

export function journaledObserver(): ObserverClient {
  if (dir === null) {
    const root = findJournalRoot(true);
    if (root === null) return new ObserverClient(OBSERVER_BINARY);
    dir = join(root, `run-${process.pid}-${processStart(process.pid)}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const made = dir;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  logs += 1;
  return new ObserverClient(OBSERVER_BINARY, {
    fd: openSync(join(dir, `observer-test-${logs}.log`), 'a', 0o600),
    afterExit: () => {},
  });
}
