// A case's scratch dir exists only while it runs: a run killed mid-way leaves one per observer for its janitor, not one per queued case.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { RunContext } from '../harness/case.ts';
import type { ObserverPool } from '../harness/observer/pool.ts';
import type { ScriptRecord } from '../harness/observer/record.ts';
import type { ScriptRequest } from '../harness/observer/request.ts';
import { Script } from '../harness/script/builder.ts';
import { observeClaim, type SpecClaim } from '../harness/script/spec-claim.ts';
import { makeEnvironment } from './fixtures/environment.ts';

const claim: SpecClaim = {
  key: 'k',
  kinds: ['uts'],
  claim: 'c',
  specIds: [],
  manPage: 'm',
  priv: 'A',
  script: () => new Script(),
  checks: () => [],
};

/** One observer: requests wait their turn; each, once running, counts the case dirs in the scratch dir. */
function onePool(scratch: string, seen: number[]): ObserverPool {
  let queue = Promise.resolve();
  const observe = (): ScriptRecord => {
    seen.push(readdirSync(scratch).length);
    return { id: 1, outcome: 'observed', durationNs: 0, steps: [] };
  };
  const turn = <T>(use: () => Promise<T>): Promise<T> => {
    const result = queue.then(use);
    queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  };
  return {
    script: (_request: ScriptRequest) => turn(() => Promise.resolve(observe())),
    withScript: <T>(use: (run: (request: ScriptRequest) => Promise<ScriptRecord>) => Promise<T>) =>
      turn(() => use(() => Promise.resolve(observe()))),
  } as unknown as ObserverPool;
}

test('twenty cases queued for one observer: only the running case has a scratch dir', async (t) => {
  const scratch = mkdtempSync(join(tmpdir(), 'case-scratch-test-'));
  try {
    const seen: number[] = [];
    const context: RunContext = {
      pool: onePool(scratch, seen),
      env: makeEnvironment(),
      scratchDir: scratch,
      timeoutMs: 1000,
    };
    const observed = await Promise.all(Array.from({ length: 20 }, () => observeClaim(claim, 'root', context)));
    t.true(observed.every((result) => result.ok));
    t.deepEqual(
      seen,
      Array.from({ length: 20 }, () => 1),
    );
    t.deepEqual(readdirSync(scratch), []);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
