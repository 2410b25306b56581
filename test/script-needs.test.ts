// A script's needs come from its own steps (calls, kinds, mapped ids), and the unprivileged ids from what is mapped.
import test from 'ava';
import { Script } from '../harness/script/builder.ts';
import { CLONE } from '../harness/script/constants.ts';
import { chooseDrop } from '../harness/env/unprivileged-ids.ts';
import { scriptNeeds } from '../harness/script/spec-claim.ts';
import { SUITES } from '../suites/index.ts';

test('forks, unshares and setns calls are recorded with the kinds they create', (t) => {
  const s = new Script();
  s.becomeRoot('p', { mode: 'unprivileged', uid: 64646, gid: 64646 }, CLONE.NEWNET);
  s.fork('child', 'clone3', CLONE.NEWPID, (c) => c.sys('join', 'setns', 3, 0));
  s.fork('plain', 'clone', 0, () => undefined);
  t.deepEqual([...s.calls].sort(), ['clone3', 'setns', 'unshare']);
  t.deepEqual([...s.createdKinds].sort(), ['net', 'pid', 'user']);
  const r = new Script();
  r.fork('c', 'clone', CLONE.NEWUTS, () => undefined);
  r.run('tool', CLONE.NEWTIME, null, '/bin/true', 'true');
  t.deepEqual([...r.calls], ['cloneNamespaceFlags']);
  t.deepEqual([...r.createdKinds], ['uts']);
});

test('outer ids of maps the first process writes are recorded; maps written inside a fork or a user namespace are not', (t) => {
  const s = new Script();
  s.fork('child', 'clone3', CLONE.NEWUSER, (c) => c.write('inner', '/proc/self/uid_map', '0 7 1'));
  s.mapIds('map', '{child}', 1000, 1001);
  s.write('projid', '/proc/{child}/projid_map', '0 100000 65536');
  t.deepEqual([...s.outerIds.uid], [1000]);
  t.deepEqual([...s.outerIds.gid], [1001]);
  t.deepEqual([...s.outerIds.projid], [100000, 165535]);
  const own = new Script();
  own.becomeRoot('p', { mode: 'unprivileged', uid: 64646, gid: 64646 });
  own.fork('c', 'clone3', CLONE.NEWUSER, () => undefined);
  own.mapIds('deep', '{c}', 0, 0);
  t.deepEqual([...own.outerIds.uid], [64646]);
  t.true(scriptNeeds(own, 'unprivileged').some((need) => need.kind === 'mapped-ids'));
});

test('every spec claim whose script forks with clone3 needs clone3, whether or not it declares it', (t) => {
  let derived = 0;
  for (const suite of SUITES) {
    for (const group of suite.groups()) {
      for (const judged of group.cases) {
        if (!judged.needsFor) continue;
        const needs = judged.needsFor(makeEnvForScripts());
        if (needs.some((need) => need.kind === 'syscall' && need.call === 'clone3')) derived++;
      }
    }
  }
  t.true(derived > 100, `${derived} spec cases need clone3 from their scripts`);
});

function makeEnvForScripts() {
  return { unprivilegedDrop: { uid: 64646, gid: 64646 }, busybox: { state: 'yes', detail: '/bin/busybox' }, host: { euid: 0, gid: 0 } } as never;
}

test('the unprivileged ids: 64646 where mapped, another mapped non-zero id, else a nested user namespace', (t) => {
  t.deepEqual(chooseDrop(0, '0 0 4294967295', '0 0 4294967295').drop, { uid: 64646, gid: 64646 });
  t.deepEqual(chooseDrop(0, '0 1000 1\n1 100000 65536', '0 1000 1\n1 100000 65536').drop, { uid: 64646, gid: 64646 });
  t.deepEqual(chooseDrop(0, '0 1000 1\n1 100000 1000', '0 1000 1\n1 100000 1000').drop, { uid: 1, gid: 1 });
  t.deepEqual(chooseDrop(0, '0 1000 1', '0 1000 1').drop, { uid: 64646, gid: 64646, nested: true });
  t.is(chooseDrop(1000, '0 0 4294967295', '0 0 4294967295').drop, null);
});
