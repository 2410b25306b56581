// A script's needs come from its own steps (calls, kinds, mapped ids), and the unprivileged ids from what is mapped.
import test from 'ava';
import { Script } from '../harness/script/builder.ts';
import { CLONE } from '../harness/script/constants.ts';
import { chooseDrop } from '../harness/env/unprivileged-ids.ts';
import { scriptNeeds } from '../harness/script/spec-claim.ts';
import { evaluateNeeds } from '../harness/needs/index.ts';
import { makeEnvironment, makeHost } from './fixtures/environment.ts';
import { loadSuites } from '../suites/registry.ts';

const { suites: SUITES } = await loadSuites();

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
  return {
    unprivilegedDrop: { uid: 64646, gid: 64646 },
    busybox: { state: 'yes', detail: '/bin/busybox' },
    host: { euid: 0, gid: 0 },
  } as never;
}

test('the unprivileged ids: 64646 where mapped, another mapped non-zero id, else a nested user namespace', (t) => {
  t.deepEqual(chooseDrop(0, '0 0 4294967295', '0 0 4294967295').drop, { uid: 64646, gid: 64646 });
  t.deepEqual(chooseDrop(0, '0 1000 1\n1 100000 65536', '0 1000 1\n1 100000 65536').drop, { uid: 64646, gid: 64646 });
  t.deepEqual(chooseDrop(0, '0 1000 1\n1 100000 1000', '0 1000 1\n1 100000 1000').drop, { uid: 1, gid: 1 });
  t.deepEqual(chooseDrop(0, '0 1000 1', '0 1000 1').drop, { uid: 64646, gid: 64646, nested: true });
  t.is(chooseDrop(1000, '0 0 4294967295', '0 0 4294967295').drop, null);
});

test('root mode: a user namespace created from inside one the script made, or after giving up uid 0, needs unprivileged user namespaces', (t) => {
  const root = { mode: 'root' as const, uid: 0, gid: 0 };
  const unprivilegedUser = (script: Script) =>
    scriptNeeds(script, 'root').some(
      (need) => need.kind === 'can-create' && need.ns === 'user' && need.mode === 'unprivileged',
    );
  const nested = new Script();
  nested.becomeRoot('p', root);
  nested.fork('kid', 'clone3', CLONE.NEWUSER, () => undefined);
  t.true(unprivilegedUser(nested), 'unshare(CLONE_NEWUSER), then a child with CLONE_NEWUSER');
  const inChild = new Script();
  inChild.fork('outer', 'clone3', CLONE.NEWUSER, (c) => c.sys('inner', 'unshare', CLONE.NEWUSER));
  t.true(unprivilegedUser(inChild), 'a child in a new user namespace unsharing another');
  const dropped = new Script();
  dropped.fork('kid', 'clone3', 0, (c) => {
    c.sys('drop', 'setresuid', 1000, 1000, 1000);
    c.sys('own', 'unshare', CLONE.NEWUSER);
  });
  t.true(unprivilegedUser(dropped), 'after setresuid to a non-zero uid');
  const siblings = new Script();
  siblings.fork('a', 'clone3', CLONE.NEWUSER, () => undefined);
  siblings.fork('b', 'clone3', CLONE.NEWUSER, () => undefined);
  siblings.sys('stay', 'setuid', 0);
  t.false(unprivilegedUser(siblings), 'root creating user namespaces side by side stays privileged');
  const nestUser = new Script();
  nestUser.fork('upper', 'clone3', 0, (c) => c.step('fromHere', 'nestuser'));
  t.true(unprivilegedUser(nestUser), 'nestuser nests by definition');
  t.false(
    scriptNeeds(nested, 'unprivileged').some(
      (need) => need.kind === 'can-create' && need.ns === 'user' && need.mode === 'root',
    ),
  );
});

test("Debian's kernel.unprivileged_userns_clone=0: root-mode USER-08 and USER-31 skip naming the sysctl; USER-11 as root still runs", (t) => {
  const env = makeEnvironment({ host: makeHost({ sysctls: { 'kernel.unprivileged_userns_clone': '0' } }) });
  for (const kind of Object.keys(env.creatable.unprivileged) as Array<keyof typeof env.creatable.unprivileged>)
    env.creatable.unprivileged[kind] = { state: 'no', detail: 'failed with EPERM' };
  const rootCase = (specId: string) =>
    SUITES.flatMap((suite) => suite.groups())
      .flatMap((group) => group.cases)
      .find((judged) => judged.info.specIds.includes(specId) && judged.info.properties.mode === 'root');
  for (const specId of ['USER-08', 'USER-31']) {
    const judged = rootCase(specId);
    if (!judged) return t.fail(`no root case of ${specId}`);
    const answer = evaluateNeeds([...judged.info.needs, ...(judged.needsFor?.(env) ?? [])], env);
    t.is(answer.met, false, specId);
    if (answer.met === false) t.regex(answer.reason, /kernel\.unprivileged_userns_clone is 0/, specId);
  }
  const plain = rootCase('USER-11');
  t.truthy(plain);
  if (plain)
    t.is(
      evaluateNeeds([...plain.info.needs, ...(plain.needsFor?.(env) ?? [])], env).met,
      true,
      'a root-mode case without a nested creation still runs',
    );
});
