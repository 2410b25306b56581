// The host snapshot: stable on an idle host, and a changed section is named with its lines.
import test from 'ava';
import { diffHostSnapshots, takeHostSnapshot } from '../harness/host/snapshot.ts';
import { judgeHost } from '../harness/host/host-case.ts';

test('two snapshots of an idle host are equal', (t) => {
  t.deepEqual(diffHostSnapshots(takeHostSnapshot(), takeHostSnapshot()), []);
});

test('a change names the section and the lines that went and came', (t) => {
  const before = takeHostSnapshot();
  const after = { ...before, hostname: 'nsconform-child\n' };
  const changes = diffHostSnapshots(before, after);
  t.is(changes.length, 1);
  t.regex(changes[0] ?? '', /^hostname: - .* \| \+ nsconform-child$/);
  const result = judgeHost(changes, 0);
  t.is(result.outcome.status, 'error');
  t.is(judgeHost([], 0).outcome.status, 'pass');
});
