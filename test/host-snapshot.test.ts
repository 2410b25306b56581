// The host snapshot: stable on an idle host, and a changed section is named with its lines.
import test from 'ava';
import { diffHostSnapshots, takeHostSnapshot } from '../harness/host/snapshot.ts';
import { judgeHost } from '../harness/host/host-case.ts';

test('two snapshots of an idle host are equal', (t) => {
  t.deepEqual(diffHostSnapshots(takeHostSnapshot(), takeHostSnapshot()).run, []);
});

test('a change names the section and the lines that went and came', (t) => {
  const before = takeHostSnapshot();
  const after = { ...before, hostname: 'nsconform-child\n' };
  const changes = diffHostSnapshots(before, after).run;
  t.is(changes.length, 1);
  t.regex(changes[0] ?? '', /^hostname: - .* \| \+ nsconform-child$/);
  const result = judgeHost(changes, 0);
  t.is(result.outcome.status, 'error');
  t.is(judgeHost([], 0).outcome.status, 'pass');
});

const ROOT = '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw';
const TMP = '30 22 0:40 / /tmp rw,nosuid shared:5 - tmpfs tmpfs rw';
const DOCKER =
  '53 30 0:42 / /tmp/verd-docker/overlay2/7de3/merged rw,relatime shared:2 - overlay overlay rw,lowerdir=/l';
const OURS = '61 30 0:77 / /tmp/nsconform-scratch-1/case-3/m rw,relatime - tmpfs none rw';
const snapshotOf = (mounts: string[], interfaces = 'eth0 flags=0x1003'): Record<string, string> => ({
  hostname: 'h\n',
  mounts: mounts.join('\n'),
  interfaces,
});

test("another program's mount coming and going during the run is listed, not blamed on the run (a CI job's docker beside it)", (t) => {
  const went = diffHostSnapshots(snapshotOf([ROOT, TMP, DOCKER]), snapshotOf([ROOT, TMP]), [
    '/tmp/nsconform-scratch-1',
  ]);
  t.deepEqual(went.run, []);
  t.regex(went.elsewhere.join(), /^mounts: - 53 30 0:42 .*verd-docker/);
  const came = diffHostSnapshots(snapshotOf([ROOT, TMP]), snapshotOf([ROOT, TMP, DOCKER]), [
    '/tmp/nsconform-scratch-1',
  ]);
  t.deepEqual(came.run, []);
  t.is(came.elsewhere.length, 1);
});

test("a mount beneath the run's own scratch dir, or a host mount remounted in place, is the run's change", (t) => {
  const leaked = diffHostSnapshots(snapshotOf([ROOT, TMP]), snapshotOf([ROOT, TMP, OURS]), [
    '/tmp/nsconform-scratch-1',
  ]);
  t.deepEqual(leaked.elsewhere, []);
  t.regex(leaked.run.join(), /^mounts: \+ 61 30 0:77 .*nsconform-scratch-1\/case-3\/m/);
  const remounted = diffHostSnapshots(
    snapshotOf([ROOT, TMP]),
    snapshotOf([ROOT.replace(' rw,relatime', ' ro,relatime'), TMP]),
    [],
  );
  t.regex(remounted.run.join(), /^mounts: - 22 1 8:1 \/ \/ rw,relatime .* \| \+ 22 1 8:1 \/ \/ ro,relatime/);
  // The same id reused on a new superblock at another point is a different mount, not a remount.
  const reused = diffHostSnapshots(
    snapshotOf([ROOT, TMP, DOCKER]),
    snapshotOf([ROOT, TMP, DOCKER.replace('0:42', '0:43').replace('7de3', '99aa')]),
    [],
  );
  t.deepEqual(reused.run, []);
  t.is(judgeHost(leaked.run, 0).outcome.status, 'error');
});

test("a host interface whose flags changed is the run's change; one that came or went is another program's", (t) => {
  const down = diffHostSnapshots(snapshotOf([ROOT]), snapshotOf([ROOT], 'eth0 flags=0x1002'), []);
  t.regex(down.run.join(), /^interfaces: - eth0 flags=0x1003 \| \+ eth0 flags=0x1002$/);
  const came = diffHostSnapshots(
    snapshotOf([ROOT]),
    snapshotOf([ROOT], 'eth0 flags=0x1003\nveth1a2b flags=0x1003'),
    [],
  );
  t.deepEqual(came.run, []);
  t.deepEqual(came.elsewhere, ['interfaces: + veth1a2b flags=0x1003']);
});
