// The pool after close: a request still on its way (a probe beside one whose observer was killed) starts no observer.
import { readdirSync, readFileSync } from 'node:fs';
import test from 'ava';
import { OBSERVER_BINARY } from '../harness/observer/binary.ts';
import { ObserverDiedError } from '../harness/observer/client.ts';
import { ObserverPool } from '../harness/observer/pool.ts';

/** This process's children running the observer binary. */
function observerChildren(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return (
          Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid &&
          stat.includes('(nsconform-obser')
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

test('a request after close fails at once instead of starting an observer nobody closes (it kept a SIGTERMed run alive for minutes)', async (t) => {
  const pool = new ObserverPool(OBSERVER_BINARY, 2);
  await pool.close();
  const late = pool.script({ drop: null, timeoutMs: 1000, scratch: null, lines: [] });
  await t.throwsAsync(late, { instanceOf: ObserverDiedError, message: /pool is closed/ });
  t.deepEqual(observerChildren(), []);
});
