// Every matrix judge: passes on what a documented kernel shows, fails on each violation of its claim.
import test from 'ava';
import { describeVerdict } from '../harness/case.ts';
import { CREATION_PATHS, findCreationPath } from '../harness/creation-path.ts';
import { flagSetOf } from '../harness/flag-set.ts';
import type { NamespaceName } from '../harness/namespaces.ts';
import type { PrivilegeModeName } from '../harness/privilege-mode.ts';
import type { MatrixClaim } from '../suites/matrix/claim.ts';
import { MATRIX_CLAIMS } from '../suites/matrix/claims/index.ts';
import { allVariants } from '../suites/matrix/index.ts';
import type { CreatedObservation, MatrixObservation } from '../suites/matrix/observation.ts';
import type { MatrixVariant } from '../suites/matrix/variant.ts';
import { conformingObservation } from './fixtures/matrix-observation.ts';

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

function created(variant: MatrixVariant, mutate: (observation: CreatedObservation) => void): MatrixObservation {
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
      if (!verdict.pass) t.fail(`${claim.key} on ${variant.flagSet.name} [${variant.path.name}, ${variant.mode}]: ${describeVerdict(verdict)}`);
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

const mutation = (mutate: (observation: CreatedObservation) => void) => (variant: MatrixVariant) => created(variant, mutate);

const VIOLATIONS: Violation[] = [
  { claim: 'refusal', what: 'EINVAL instead of EPERM', variant: variantOf(['pid'], 'clone3', 'unprivileged'), observation: (variant) => ({ ...conformingObservation(variant), kind: 'refused', errno: 'EINVAL' }) },
  { claim: 'refusal', what: 'a child was created', variant: variantOf(['net'], 'unshare', 'unprivileged'), observation: (variant) => conformingObservation({ ...variant, mode: 'root' }) },
  { claim: 'identity', what: 'no new pid namespace', variant: variantOf(['pid']), observation: mutation((o) => (o.child.ns.pid = o.parent.ns.pid!)) },
  { claim: 'identity', what: 'an unasked-for net namespace', variant: variantOf([]), observation: mutation((o) => (o.child.ns.net = { ino: 1, dev: 4, link: 'net:[1]' })) },
  { claim: 'identity', what: 'an unreadable entry', variant: variantOf(['uts'], 'unshare'), observation: mutation((o) => (o.child.ns.uts = { errno: 'EACCES' })) },
  { claim: 'identity', what: 'refused when it should create', variant: variantOf(['user', 'net'], 'clone3', 'unprivileged'), observation: (variant) => ({ ...conformingObservation(variant), kind: 'refused', errno: 'EPERM' }) },
  { claim: 'pid', what: 'pid 2 instead of 1', variant: variantOf(['pid']), observation: mutation((o) => (o.child.pid = 2)) },
  { claim: 'pid', what: 'getppid() 1 instead of 0', variant: variantOf(['pid'], 'unshare'), observation: mutation((o) => (o.child.ppid = 1)) },
  { claim: 'pid', what: 'NSpid without the extra level', variant: variantOf(['pid', 'user'], 'clone', 'unprivileged'), observation: mutation((o) => (o.outside.nspid = [5001])) },
  { claim: 'pid', what: 'another parent without the flag', variant: variantOf(['net']), observation: mutation((o) => (o.child.ppid = 1)) },
  { claim: 'user', what: 'uid 0 before any mapping', variant: variantOf(['user']), observation: mutation((o) => (o.child.uid = [0, 0, 0])) },
  { claim: 'user', what: 'no capabilities in the new namespace', variant: variantOf(['user'], 'unshare', 'unprivileged'), observation: mutation((o) => (o.child.caps.eff = '0000000000000000')) },
  { claim: 'user', what: 'a mapping already written', variant: variantOf(['user']), observation: mutation((o) => (o.child.uidMap = '0 0 1\n')) },
  { claim: 'user', what: 'capabilities gained without the flag', variant: variantOf([], 'clone', 'unprivileged'), observation: mutation((o) => (o.child.caps.eff = '000001ffffffffff')) },
  { claim: 'net', what: 'lo up', variant: variantOf(['net']), observation: mutation((o) => (o.child.interfaces = [{ name: 'lo', flags: 0x9 }])) },
  { claim: 'net', what: 'a second interface', variant: variantOf(['net', 'user'], 'clone3', 'unprivileged'), observation: mutation((o) => o.child.interfaces.push({ name: 'eth0', flags: 0x1002 })) },
  { claim: 'net', what: "the parent's interface missing without the flag", variant: variantOf(['uts']), observation: mutation((o) => (o.child.interfaces = [{ name: 'lo', flags: 0x49 }])) },
  { claim: 'uts', what: 'sethostname refused', variant: variantOf(['uts']), observation: mutation((o) => (o.child.ops.sethostname = { errno: 'EPERM' })) },
  { claim: 'uts', what: "the parent's hostname changed", variant: variantOf(['uts', 'user'], 'unshare', 'unprivileged'), observation: mutation((o) => (o.outside.hostname = 'nsconform-child')) },
  { claim: 'uts', what: 'a different initial hostname', variant: variantOf(['uts']), observation: mutation((o) => (o.child.hostname = 'other')) },
  { claim: 'uts', what: 'another hostname without the flag', variant: variantOf(['net']), observation: mutation((o) => (o.child.hostname = 'other')) },
  { claim: 'ipc', what: "the parent's queue visible", variant: variantOf(['ipc']), observation: mutation((o) => (o.child.ops.msgget = { ok: true, value: 1 })) },
  { claim: 'ipc', what: "the parent's queue missing without the flag", variant: variantOf(['uts']), observation: mutation((o) => (o.child.ops.msgget = { errno: 'ENOENT' })) },
  { claim: 'cgroup', what: 'a path that is not /', variant: variantOf(['cgroup']), observation: mutation((o) => (o.child.cgroup = '0::/user.slice\n')) },
  { claim: 'cgroup', what: 'another path without the flag', variant: variantOf(['pid']), observation: mutation((o) => (o.child.cgroup = '0::/\n')) },
  { claim: 'time', what: 'non-zero offsets in a new time namespace', variant: variantOf(['time']), observation: mutation((o) => (o.child.timensOffsets = 'monotonic 5 0\nboottime 0 0\n')) },
  { claim: 'time', what: 'unreadable offsets', variant: variantOf(['time', 'user'], 'unshare', 'unprivileged'), observation: mutation((o) => (o.child.timensOffsets = { errno: 'ENOENT' })) },
  { claim: 'time', what: 'legacy clone exit signal SIGCHLD', variant: variantOf(['time'], 'clone'), observation: mutation((o) => (o.outside.exitSignal = 17)) },
  { claim: 'time', what: 'legacy clone creating a time namespace', variant: variantOf(['time', 'user'], 'clone', 'unprivileged'), observation: mutation((o) => (o.child.ns.time = { ino: 9, dev: 4, link: 'time:[9]' })) },
  { claim: 'time', what: 'other offsets without the flag', variant: variantOf(['ipc']), observation: mutation((o) => (o.child.timensOffsets = 'monotonic 1 0\nboottime 0 0\n')) },
  { claim: 'mnt', what: 'the mount visible to the parent', variant: variantOf(['mnt']), observation: mutation((o) => (o.outside.scratchDev = 77)) },
  { claim: 'mnt', what: '/ not made private', variant: variantOf(['mnt', 'user'], 'unshare', 'unprivileged'), observation: mutation((o) => (o.child.ops.rprivate = { errno: 'EPERM' })) },
  { claim: 'mnt', what: 'the mount refused', variant: variantOf(['mnt']), observation: mutation((o) => (o.child.ops['mount-tmpfs'] = { errno: 'EPERM' })) },
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

test('every claim has a violating fixture, with and without its flag where it has both', (t) => {
  for (const claim of MATRIX_CLAIMS) t.true(VIOLATIONS.some((violation) => violation.claim === claim.key), claim.key);
  t.is(CREATION_PATHS.length, 3);
});
