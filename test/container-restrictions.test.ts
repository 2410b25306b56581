// What a Docker container restricts, named from its own evidence (CapEff, mountinfo, a reboot canary), and the needs scripts show for it.
import test from 'ava';
import { Script } from '../harness/script/builder.ts';
import { CLONE } from '../harness/script/constants.ts';
import { str } from '../harness/script/encode.ts';
import { scriptNeeds } from '../harness/script/spec-claim.ts';
import { evaluateNeeds, type Need } from '../harness/needs/index.ts';
import { chrootOf } from '../harness/env/host-facts.ts';
import { detectRestrictions } from '../harness/env/restriction-list.ts';
import { KERNEL_CANARIES, makeEnvironment, makeHost } from './fixtures/environment.ts';

/** The mount table `docker run --cap-add SYS_ADMIN` gave on this VM (docker.io 20.10, cgroup v1 host), shortened. */
const DOCKER_MOUNTINFO = [
  '79 55 0:42 / / rw,relatime master:2 - overlay overlay rw,lowerdir=/l',
  '80 79 0:45 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw',
  '81 79 0:46 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755',
  '83 79 0:48 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro',
  '84 83 0:49 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,mode=755',
  '85 84 0:29 /docker/bec4 /sys/fs/cgroup/cpu ro,nosuid,nodev,noexec,relatime - cgroup cgroup rw,cpu',
  '56 80 0:45 /bus /proc/bus ro,nosuid,nodev,noexec,relatime - proc proc rw',
  '59 80 0:45 /sys /proc/sys ro,nosuid,nodev,noexec,relatime - proc proc rw',
  '61 80 0:46 /null /proc/keys rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755',
  '63 83 0:52 / /sys/firmware ro,relatime - tmpfs tmpfs ro',
  '',
].join('\n');
/** CapEff of root in that container: Docker's default set plus CAP_SYS_ADMIN. */
const DOCKER_SYS_ADMIN_CAPS = '00000000a82425fb';
const docker = (overrides = {}) =>
  makeEnvironment({
    host: makeHost({
      effectiveCaps: DOCKER_SYS_ADMIN_CAPS,
      mountinfo: DOCKER_MOUNTINFO,
      seccomp: { mode: 2, filters: 1 },
    }),
    ...overrides,
  });

const reasonOf = (needs: Need[], env = docker()): string | true => {
  const answer = evaluateNeeds(needs, env);
  return answer.met === true ? true : answer.reason;
};

test('missing capabilities are read from CapEff, named with the bit and docker run --cap-add', (t) => {
  t.regex(
    String(reasonOf([{ kind: 'capability', cap: 'SYS_TIME', for: 'x' }])),
    /root without CAP_SYS_TIME \(CapEff 00000000a82425fb \(bit 25 clear\)\) — .*--cap-add SYS_TIME/,
  );
  t.regex(String(reasonOf([{ kind: 'capability', cap: 'SYS_PTRACE', for: 'x' }])), /bit 19 clear/);
  t.regex(String(reasonOf([{ kind: 'capability', cap: 'NET_ADMIN', for: 'x' }])), /bit 12 clear/);
  t.true(reasonOf([{ kind: 'root' }]), 'CAP_SYS_ADMIN was added');
  t.true(reasonOf([{ kind: 'capability', cap: 'SYS_TIME', for: 'x' }], makeEnvironment()), 'the host has it');
  t.true(
    reasonOf(
      [{ kind: 'capability', cap: 'SYS_TIME', for: 'x' }],
      docker({ host: makeHost({ euid: 65534, effectiveCaps: '0000000000000000' }) }),
    ),
    'a non-root runner has no root mode to need it in',
  );
});

test('a /sys read-only or with paths mounted over it stops sysfs mounts in a user namespace; the host shows none', (t) => {
  t.regex(
    String(reasonOf([{ kind: 'revealing-mount', fs: 'sysfs' }])),
    /sees \/sys only in part.*\/sys is mounted read-only; \/sys\/firmware is mounted over it\) — .*--privileged/,
  );
  t.true(
    reasonOf([{ kind: 'revealing-mount', fs: 'sysfs' }], makeEnvironment()),
    '/sys/fs/cgroup is a mount point the kernel made empty: it hides nothing',
  );
  t.true(reasonOf([{ kind: 'revealing-mount', fs: 'proc' }]), 'a contained case mounts a fresh /proc of its own');
  const uncontained = docker({ host: makeHost({ euid: 1000, mountinfo: DOCKER_MOUNTINFO }) });
  t.regex(
    String(reasonOf([{ kind: 'revealing-mount', fs: 'proc' }], uncontained)),
    /\/proc\/bus, \/proc\/sys, \/proc\/keys are mounted over it\) — unmask \/proc \(docker run --security-opt systempaths=unconfined/,
  );
});

test('cgroup claims need a cgroup2 mount, writable where they make cgroups', (t) => {
  t.regex(
    String(reasonOf([{ kind: 'cgroup2', writable: false }])),
    /no cgroup2 hierarchy is mounted here \(\/proc\/self\/mountinfo lists no cgroup2 mount\) — /,
  );
  const readOnly = docker({
    host: makeHost({
      mountinfo: `${DOCKER_MOUNTINFO}90 84 0:30 / /sys/fs/cgroup/unified ro,nosuid - cgroup2 cgroup2 rw\n`,
    }),
  });
  t.true(reasonOf([{ kind: 'cgroup2', writable: false }], readOnly));
  t.regex(
    String(reasonOf([{ kind: 'cgroup2', writable: true }], readOnly)),
    /mounted read-only here \(\/proc\/self\/mountinfo: \/sys\/fs\/cgroup\/unified ro\)/,
  );
  t.true(reasonOf([{ kind: 'cgroup2', writable: true }], makeEnvironment()));
});

test("reboot refused by the init of a fresh USER|PID namespace is the seccomp profile's doing; the kernel says EINVAL there", (t) => {
  const canaries = {
    ...KERNEL_CANARIES,
    reboot: { errno: 'EPERM', detail: 'reboot(0, 0, 0, 0) in a new USER|PID namespace gives EPERM' },
  };
  t.regex(
    String(reasonOf([{ kind: 'syscall', call: 'reboot' }], docker({ canaries }))),
    /reboot is refused by a seccomp filter \(Seccomp: 2, 1 filter; .* gives EPERM where the kernel gives EINVAL\) — .*--cap-add SYS_BOOT/,
  );
  t.true(reasonOf([{ kind: 'syscall', call: 'reboot' }], docker()));
  t.true(
    reasonOf([{ kind: 'syscall', call: 'reboot' }], makeEnvironment({ canaries })),
    'without a filter EPERM is the kernel speaking: nothing to name',
  );
});

test('nsconform env lists each of them once', (t) => {
  const names = detectRestrictions(docker()).map((restriction) => restriction.name);
  for (const expected of [
    'root without CAP_SYS_TIME',
    'root without CAP_SYS_PTRACE',
    'root without CAP_NET_ADMIN',
    'no cgroup2 hierarchy is mounted here',
  ])
    t.true(names.includes(expected), expected);
  t.true(names.some((name) => name.includes('/sys only in part')));
  t.deepEqual(detectRestrictions(makeEnvironment()), []);
});

test('scripts show the needs: timens_offsets written outside their user namespaces, proc or sysfs mounted inside one, reboot', (t) => {
  const root = new Script();
  root.sys('time', 'unshare', CLONE.NEWTIME);
  root.write('offsets', '/proc/self/timens_offsets', 'monotonic 1 0');
  root.sys('reboot', 'reboot', 0, 0, 0, 0);
  root.fork('c', 'clone3', CLONE.NEWUSER | CLONE.NEWNS, (c) =>
    c.sys('sysfs', 'mount', str('sysfs'), str('{scratch}/s'), str('sysfs'), 0, 0),
  );
  root.sys('proc', 'mount', str('proc'), str('{scratch}/p'), str('proc'), 0, 0);
  const needs = scriptNeeds(root, 'root');
  t.true(needs.some((need) => need.kind === 'capability' && need.cap === 'SYS_TIME'));
  t.true(needs.some((need) => need.kind === 'syscall' && need.call === 'reboot'));
  t.true(needs.some((need) => need.kind === 'revealing-mount' && need.fs === 'sysfs'));
  t.false(
    needs.some((need) => need.kind === 'revealing-mount' && need.fs === 'proc'),
    'proc mounted outside any user namespace is not mount_too_revealing business',
  );
  t.false(
    scriptNeeds(root, 'unprivileged').some((need) => need.kind === 'capability'),
    "the unprivileged mode never has the runner's capabilities",
  );
  const inOwn = new Script();
  inOwn.becomeRoot('p', { mode: 'unprivileged', uid: 64646, gid: 64646 }, CLONE.NEWTIME);
  inOwn.write('offsets', '/proc/self/timens_offsets', 'monotonic 1 0');
  t.false(
    scriptNeeds(inOwn, 'root').some((need) => need.kind === 'capability'),
    'root of a user namespace the script made holds CAP_SYS_TIME there',
  );
});

test('chroot: no mount at / is a chroot; the same mount at / as PID 1, or the same root inode, is none', (t) => {
  const table = '27 1 254:0 / / rw - ext4 /dev/vda rw\n22 27 0:21 / /proc rw - proc proc rw\n';
  t.deepEqual(
    chrootOf('22 27 0:21 / /proc rw - proc proc rw\n', () => null, table),
    { chrooted: true, evidence: '/proc/self/mountinfo shows no mount at /: the root is a directory inside a mount' },
  );
  t.is(chrootOf(table, () => null, table).chrooted, false);
  t.is(
    chrootOf(table, () => null, table.replace('27 1 254:0 / /', '31 1 254:0 / /')).chrooted,
    null,
    'another mount at / for PID 1, and its root unreadable: cannot tell',
  );
  t.is(chrootOf(table, () => ({ dev: -1, ino: -1 }), null).chrooted, true);
  t.is(chrootOf(null, () => null, null).chrooted, null);
});
