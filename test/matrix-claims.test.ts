// Every matrix judge: passes on what a documented kernel shows, fails on each violation of its claim.
import test from 'ava';
import { describeVerdict } from '../harness/case.ts';
import { CREATION_PATHS, findCreationPath } from '../harness/creation-path.ts';
import { flagSetOf } from '../harness/flag-set.ts';
import type { NamespaceName } from '../harness/namespaces.ts';
import type { PrivilegeModeName } from '../harness/privilege-mode.ts';
import type { MatrixClaim } from '../suites/matrix/claim.ts';
import { allVariants } from '../suites/matrix/index.ts';
import type { CreatedObservation, MatrixObservation } from '../suites/matrix/observation.ts';
import type { MatrixVariant } from '../suites/matrix/variant.ts';
import { conformingObservation } from './fixtures/matrix-observation.ts';
import { loadSuites } from '../suites/registry.ts';

const { matrixClaims: MATRIX_CLAIMS } = await loadSuites();

function variantOf(kinds: NamespaceName[], path = 'clone3', mode: PrivilegeModeName = 'root'): MatrixVariant {
  const creationPath = findCreationPath(path);
  if (!creationPath) throw new Error(path);
  return { flagSet: flagSetOf(kinds), path: creationPath, mode };
}

function claimOf(key: string): MatrixClaim {
  const claim = MATRIX_CLAIMS.find((entry) => entry.key === key);
  if (!claim) throw new Error(key);
  return claim;
}

/** The observation with its top-level fields writable, for mutations. */
type Writable = { -readonly [K in keyof CreatedObservation]: CreatedObservation[K] };

function created(variant: MatrixVariant, mutate: (observation: Writable) => void): MatrixObservation {
  const observation = structuredClone(conformingObservation(variant));
  if (observation.kind !== 'created') throw new Error('fixture was refused');
  mutate(observation);
  return observation;
}

test('every applicable claim passes on a conforming observation of every variant', (t) => {
  let judged = 0;
  for (const variant of allVariants()) {
    const observation = conformingObservation(variant);
    for (const claim of MATRIX_CLAIMS.filter((entry) => entry.appliesTo(variant))) {
      const verdict = claim.judge(observation);
      if (!verdict.pass)
        t.fail(
          `${claim.key} on ${variant.flagSet.name} [${variant.path.name}, ${variant.mode}]: ${describeVerdict(verdict)}`,
        );
      judged += 1;
    }
  }
  t.true(judged > 10000);
});

test('every claim applies to at least one variant and names spec ids and a man page', (t) => {
  for (const claim of MATRIX_CLAIMS) {
    const variant = allVariants().find((entry) => claim.appliesTo(entry));
    t.truthy(variant, claim.key);
    if (!variant) continue;
    t.true(claim.specIds(variant).length > 0, claim.key);
    t.not(claim.manPage(variant), '', claim.key);
  }
});

interface Violation {
  claim: string;
  what: string;
  variant: MatrixVariant;
  observation: (variant: MatrixVariant) => MatrixObservation;
}

const mutation = (mutate: (observation: Writable) => void) => (variant: MatrixVariant) => created(variant, mutate);

const VIOLATIONS: Violation[] = [
  {
    claim: 'refusal',
    what: 'EINVAL instead of EPERM',
    variant: variantOf(['pid'], 'clone3', 'unprivileged'),
    observation: (variant) => ({ ...conformingObservation(variant), kind: 'refused', errno: 'EINVAL' }),
  },
  {
    claim: 'refusal',
    what: 'a child was created',
    variant: variantOf(['net'], 'unshare', 'unprivileged'),
    observation: (variant) => conformingObservation({ ...variant, mode: 'root' }),
  },
  {
    claim: 'identity',
    what: 'no new pid namespace',
    variant: variantOf(['pid']),
    observation: mutation((o) => (o.child.ns.pid = o.parent.ns.pid!)),
  },
  {
    claim: 'identity',
    what: 'an unasked-for net namespace',
    variant: variantOf([]),
    observation: mutation((o) => (o.child.ns.net = { ino: 1, dev: 4, link: 'net:[1]' })),
  },
  {
    claim: 'identity',
    what: 'an unreadable entry',
    variant: variantOf(['uts'], 'unshare'),
    observation: mutation((o) => (o.child.ns.uts = { errno: 'EACCES' })),
  },
  {
    claim: 'identity',
    what: 'refused when it should create',
    variant: variantOf(['user', 'net'], 'clone3', 'unprivileged'),
    observation: (variant) => ({ ...conformingObservation(variant), kind: 'refused', errno: 'EPERM' }),
  },
  {
    claim: 'pid',
    what: 'pid 2 instead of 1',
    variant: variantOf(['pid']),
    observation: mutation((o) => (o.child.pid = 2)),
  },
  {
    claim: 'pid',
    what: 'getppid() 1 instead of 0',
    variant: variantOf(['pid'], 'unshare'),
    observation: mutation((o) => (o.child.ppid = 1)),
  },
  {
    claim: 'pid',
    what: 'NSpid without the extra level',
    variant: variantOf(['pid', 'user'], 'clone', 'unprivileged'),
    observation: mutation((o) => (o.outside.nspid = [5001])),
  },
  {
    claim: 'pid',
    what: 'another parent without the flag',
    variant: variantOf(['net']),
    observation: mutation((o) => (o.child.ppid = 1)),
  },
  {
    claim: 'user',
    what: 'uid 0 before any mapping',
    variant: variantOf(['user']),
    observation: mutation((o) => (o.child.uid = [0, 0, 0])),
  },
  {
    claim: 'user',
    what: 'no capabilities in the new namespace',
    variant: variantOf(['user'], 'unshare', 'unprivileged'),
    observation: mutation((o) => (o.child.caps.eff = '0000000000000000')),
  },
  {
    claim: 'user',
    what: 'a mapping already written',
    variant: variantOf(['user']),
    observation: mutation((o) => (o.child.uidMap = '0 0 1\n')),
  },
  {
    claim: 'user',
    what: 'capabilities gained without the flag',
    variant: variantOf([], 'clone', 'unprivileged'),
    observation: mutation((o) => (o.child.caps.eff = '000001ffffffffff')),
  },
  {
    claim: 'net',
    what: 'lo up',
    variant: variantOf(['net']),
    observation: mutation((o) => (o.child.interfaces = [{ name: 'lo', flags: 0x9 }])),
  },
  {
    claim: 'net',
    what: 'a second interface',
    variant: variantOf(['net', 'user'], 'clone3', 'unprivileged'),
    observation: mutation((o) => o.child.interfaces.push({ name: 'eth0', flags: 0x1002 })),
  },
  {
    claim: 'net',
    what: "the parent's interface missing without the flag",
    variant: variantOf(['uts']),
    observation: mutation((o) => (o.child.interfaces = [{ name: 'lo', flags: 0x49 }])),
  },
  {
    claim: 'uts',
    what: 'sethostname refused',
    variant: variantOf(['uts']),
    observation: mutation((o) => (o.child.ops.sethostname = { errno: 'EPERM' })),
  },
  {
    claim: 'uts',
    what: "the parent's hostname changed",
    variant: variantOf(['uts', 'user'], 'unshare', 'unprivileged'),
    observation: mutation((o) => (o.outside.hostname = 'nsconform-child')),
  },
  {
    claim: 'uts',
    what: 'a different initial hostname',
    variant: variantOf(['uts']),
    observation: mutation((o) => (o.child.hostname = 'other')),
  },
  {
    claim: 'uts',
    what: 'another hostname without the flag',
    variant: variantOf(['net']),
    observation: mutation((o) => (o.child.hostname = 'other')),
  },
  {
    claim: 'ipc',
    what: "the parent's queue visible",
    variant: variantOf(['ipc']),
    observation: mutation((o) => (o.child.ops.msgget = { ok: true, value: 1 })),
  },
  {
    claim: 'ipc',
    what: "the parent's queue missing without the flag",
    variant: variantOf(['uts']),
    observation: mutation((o) => (o.child.ops.msgget = { errno: 'ENOENT' })),
  },
  {
    claim: 'cgroup',
    what: 'a path that is not /',
    variant: variantOf(['cgroup']),
    observation: mutation((o) => (o.child.cgroup = '0::/user.slice\n')),
  },
  {
    claim: 'cgroup',
    what: 'another path without the flag',
    variant: variantOf(['pid']),
    observation: mutation((o) => (o.child.cgroup = '0::/\n')),
  },
  {
    claim: 'time',
    what: 'non-zero offsets in a new time namespace',
    variant: variantOf(['time']),
    observation: mutation((o) => (o.child.timensOffsets = 'monotonic 5 0\nboottime 0 0\n')),
  },
  {
    claim: 'time',
    what: 'unreadable offsets',
    variant: variantOf(['time', 'user'], 'unshare', 'unprivileged'),
    observation: mutation((o) => (o.child.timensOffsets = { errno: 'ENOENT' })),
  },
  {
    claim: 'time',
    what: 'legacy clone exit signal SIGCHLD',
    variant: variantOf(['time'], 'clone'),
    observation: mutation((o) => (o.outside.exitSignal = 17)),
  },
  {
    claim: 'time',
    what: 'legacy clone creating a time namespace',
    variant: variantOf(['time', 'user'], 'clone', 'unprivileged'),
    observation: mutation((o) => (o.child.ns.time = { ino: 9, dev: 4, link: 'time:[9]' })),
  },
  {
    claim: 'time',
    what: 'other offsets without the flag',
    variant: variantOf(['ipc']),
    observation: mutation((o) => (o.child.timensOffsets = 'monotonic 1 0\nboottime 0 0\n')),
  },
  {
    claim: 'identity',
    what: 'an entry missing from both for a kind the kernel has',
    variant: variantOf(['net']),
    observation: mutation((o) => {
      delete o.child.ns.time;
      delete o.parent.ns.time;
    }),
  },
  {
    claim: 'identity',
    what: "the child's entry missing",
    variant: variantOf(['ipc']),
    observation: mutation((o) => delete o.child.ns.cgroup),
  },
  {
    claim: 'time',
    what: 'both offsets unreadable without the flag (no time namespaces)',
    variant: variantOf(['ipc']),
    observation: mutation((o) => (o.child.timensOffsets = o.parent.timensOffsets = { errno: 'ENOENT' })),
  },
  {
    claim: 'time',
    what: 'a shifted child of the initial time namespace, whose offsets read shifted too',
    variant: variantOf(['time']),
    observation: mutation((o) => {
      o.parent.ns.time = { ino: 0xeffffffa, dev: 4, link: 'time:[4026531834]' };
      o.child.timensOffsets = o.parent.timensOffsets = 'monotonic 86400 0\nboottime 0 0\n';
    }),
  },
  {
    claim: 'cgroup',
    what: 'both unreadable without the flag',
    variant: variantOf(['uts']),
    observation: mutation((o) => (o.child.cgroup = o.parent.cgroup = { errno: 'EACCES' })),
  },
  {
    claim: 'uts',
    what: 'uname() not giving the name just set',
    variant: variantOf(['uts']),
    observation: mutation((o) => (o.child.ops.gethostname = { ok: true, text: 'host' })),
  },
  {
    claim: 'net',
    what: 'a fallback device with no tunnel driver loaded',
    variant: variantOf(['net']),
    observation: mutation((o) => o.child.interfaces.push({ name: 'tunl0', flags: 0x80 })),
  },
  {
    claim: 'net',
    what: "a loaded driver's fallback device missing while the sysctl is 0",
    variant: variantOf(['net']),
    observation: mutation((o) => (o.tunnels = { fbTunnelsOnlyForInitNet: 0, loaded: ['ipip'] })),
  },
  {
    claim: 'net',
    what: 'a fallback device the sysctl keeps to the initial namespace',
    variant: variantOf(['net', 'user'], 'unshare', 'unprivileged'),
    observation: mutation((o) => {
      o.tunnels = { fbTunnelsOnlyForInitNet: 1, loaded: ['ipip'] };
      o.child.interfaces.push({ name: 'tunl0', flags: 0x80 });
    }),
  },
  {
    claim: 'net',
    what: 'a fallback device up',
    variant: variantOf(['net']),
    observation: mutation((o) => {
      o.tunnels = { fbTunnelsOnlyForInitNet: 0, loaded: ['ipip'] };
      o.child.interfaces.push({ name: 'tunl0', flags: 0x81 });
    }),
  },
  {
    claim: 'net',
    what: 'no interfaces read on either side without the flag',
    variant: variantOf(['pid']),
    observation: mutation((o) => (o.child.interfaces = o.parent.interfaces = [])),
  },
  {
    claim: 'pid',
    what: 'NSpid unreadable for the creator and outside',
    variant: variantOf(['uts']),
    observation: mutation((o) => (o.parent.nspid = o.outside.nspid = [])),
  },
  {
    claim: 'mnt',
    what: 'the mount visible to the parent',
    variant: variantOf(['mnt']),
    observation: mutation((o) => (o.outside.scratchDev = 77)),
  },
  {
    claim: 'mnt',
    what: '/ not made private',
    variant: variantOf(['mnt', 'user'], 'unshare', 'unprivileged'),
    observation: mutation((o) => (o.child.ops.rprivate = { errno: 'EPERM' })),
  },
  {
    claim: 'mnt',
    what: 'the mount refused',
    variant: variantOf(['mnt']),
    observation: mutation((o) => (o.child.ops['mount-tmpfs'] = { errno: 'EPERM' })),
  },
];

for (const violation of VIOLATIONS) {
  test(`${violation.claim} fails on ${violation.what} (${violation.variant.flagSet.name}, ${violation.variant.path.name}, ${violation.variant.mode})`, (t) => {
    const claim = claimOf(violation.claim);
    t.true(claim.appliesTo(violation.variant), 'the violation targets a variant the claim applies to');
    const verdict = claim.judge(violation.observation(violation.variant));
    t.false(verdict.pass);
    if (!verdict.pass && verdict.error === undefined) t.not(verdict.expected, verdict.actual);
  });
}

test('spec D13: the fallback devices of loaded tunnel drivers, all down, pass where the sysctl lets them into every namespace', (t) => {
  const variant = variantOf(['net']);
  const observation = created(variant, (o) => {
    o.tunnels = { fbTunnelsOnlyForInitNet: 0, loaded: ['ipip', 'ip_gre'] };
    o.child.interfaces.push(...['tunl0', 'gre0', 'gretap0', 'erspan0'].map((name) => ({ name, flags: 0x80 })));
  });
  t.deepEqual(claimOf('net').judge(observation), { pass: true });
});

test('identity names the kinds the kernel lacks instead of comparing nothing', (t) => {
  const variant = variantOf(['net']);
  const observation = created(variant, (o) => {
    delete o.child.ns.time;
    delete o.parent.ns.time;
    o.env = { ...o.env, built: { ...o.env.built, time: { state: 'no', detail: 'no /proc/self/ns/time' } } };
  });
  const verdict = claimOf('identity').judge(observation);
  t.deepEqual(verdict, { pass: true });
  t.regex(
    claimOf('identity').judge(
      created(variant, (o) => {
        delete o.child.ns.time;
        delete o.parent.ns.time;
      }),
    ).pass
      ? ''
      : 'failed',
    /failed/,
  );
});

test('an op the observer declined to run makes the verdict an error, not a fail', (t) => {
  const verdict = claimOf('uts').judge(
    created(variantOf(['uts']), (o) => (o.child.ops.sethostname = { skipped: 'the request has no CLONE_NEWUTS' })),
  );
  t.like(verdict, { pass: false, error: 'the observer did not run op sethostname: the request has no CLONE_NEWUTS' });
});

test('every claim has a violating fixture for each of its sentences (with and without its flag, and every other branch)', (t) => {
  for (const claim of MATRIX_CLAIMS) {
    const sentences = new Set(
      allVariants()
        .filter((variant) => claim.appliesTo(variant))
        .map((variant) => claim.sentence(variant)),
    );
    const violated = new Set(
      VIOLATIONS.filter((violation) => violation.claim === claim.key).map((violation) =>
        claim.sentence(violation.variant),
      ),
    );
    t.deepEqual(
      [...sentences].filter((sentence) => !violated.has(sentence)),
      [],
      claim.key,
    );
  }
  t.is(CREATION_PATHS.length, 3);
});
