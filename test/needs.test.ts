// Needs skip only for a named restriction, with its evidence and fix; what nothing explains runs (and fails).
import test from 'ava';
import { evaluateNeeds, describeNeed, type Need } from '../harness/needs/index.ts';
import { findCreationPath } from '../harness/creation-path.ts';
import { flagSetOf } from '../harness/flag-set.ts';
import { variantNeeds } from '../suites/matrix/needs.ts';
import { makeEnvironment, makeHost, KERNEL_CANARIES } from './fixtures/environment.ts';
import { recogniseOtherKernel } from '../harness/env/kernel-build.ts';

const reasonOf = (needs: Need[], env = makeEnvironment()): string | true => {
  const answer = evaluateNeeds(needs, env);
  return answer.met === true ? true : answer.reason;
};

test('met needs pass', (t) => {
  t.deepEqual(
    evaluateNeeds(
      [{ kind: 'root' }, { kind: 'can-create', ns: 'time', mode: 'unprivileged' }, { kind: 'syscall', call: 'clone3' }],
      makeEnvironment(),
    ),
    { met: true },
  );
});

test('a runner that is not root skips the root mode, saying how to get it', (t) => {
  t.is(
    reasonOf([{ kind: 'root' }], makeEnvironment({ host: makeHost({ euid: 1000 }) })),
    'needs root (uid 0 with CAP_SYS_ADMIN in its user namespace): the runner is uid 1000, not root (geteuid()) — run as root (sudo) for the root mode',
  );
  t.regex(
    String(reasonOf([{ kind: 'root' }], makeEnvironment({ host: makeHost({ effectiveCaps: '00000000001fffff' }) }))),
    /root without CAP_SYS_ADMIN \(CapEff 00000000001fffff\) — give the runner CAP_SYS_ADMIN/,
  );
});

test('a probe of its own that could not tell is an error, not a skip', (t) => {
  const answer = evaluateNeeds(
    [{ kind: 'veth' }],
    makeEnvironment({ veth: { state: 'unknown', detail: 'observer ended' } }),
  );
  t.is(answer.met, 'unknown');
  if (answer.met === 'unknown') t.regex(answer.reason, /could not tell.*veth.*observer ended/);
});

test('claims that make cgroups skip where the run has no cgroup of its own, saying why (they never fall back to the cgroup2 root)', (t) => {
  const none = makeEnvironment({ caseCgroup: { state: 'no', detail: 'the runner is not root' } });
  // The form every restriction's skip has (environments.test.ts checks it in a real container): what, then how to lift it.
  t.regex(
    String(reasonOf([{ kind: 'case-cgroup' }], none)),
    /^needs a cgroup of the case's own \(below the run's cgroup\) to make cgroups in: the runner is not root — run as root where cgroup v2 is mounted read-write /,
  );
  t.true(reasonOf([{ kind: 'case-cgroup' }]));
});

test('a kernel without a kind skips naming the missing entry and its kconfig symbol', (t) => {
  const env = makeEnvironment();
  env.built.time = { state: 'no', detail: '/proc/self/ns/time is missing' };
  t.is(
    reasonOf([{ kind: 'kernel-has', ns: 'time' }], env),
    'needs a kernel with time namespaces (CONFIG_TIME_NS, since 5.6): this kernel has no time namespaces (/proc/self/ns/time is missing) — use a kernel built with CONFIG_TIME_NS=y (Linux ≥ 5.6)',
  );
});

test('a creation that fails with nothing to explain it is no skip: the case runs and fails with the errno', (t) => {
  const env = makeEnvironment();
  env.creatable.root.net = { state: 'no', detail: 'unshare(CLONE_NEWNET) failed with EINVAL' };
  env.creatable.unprivileged.user = { state: 'no', detail: 'unshare(CLONE_NEWUSER) failed with EINVAL' };
  t.true(
    reasonOf(
      [
        { kind: 'can-create', ns: 'net', mode: 'root' },
        { kind: 'can-create', ns: 'user', mode: 'unprivileged' },
      ],
      env,
    ),
  );
  t.true(
    reasonOf(
      [{ kind: 'syscall', call: 'clone3' }],
      makeEnvironment({
        canaries: { ...KERNEL_CANARIES, clone3: { errno: 'ENOSYS', detail: 'clone3(NULL, 0) gives ENOSYS' } },
      }),
    ),
  );
});

test('user.max_user_namespaces=0 names the sysctl and how to raise it; other kinds as root still run', (t) => {
  const env = makeEnvironment({ host: makeHost({ sysctls: { 'user.max_user_namespaces': '0' } }) });
  t.is(
    reasonOf([{ kind: 'can-create', ns: 'net', mode: 'unprivileged' }], env),
    'needs to create net namespaces unprivileged (CLONE_NEWUSER|CLONE_NEWNET): user.max_user_namespaces is 0 (/proc/sys/user/max_user_namespaces reads 0) — raise it (sysctl -w user.max_user_namespaces=15000)',
  );
  t.true(reasonOf([{ kind: 'can-create', ns: 'net', mode: 'root' }], env));
  t.regex(String(reasonOf([{ kind: 'can-create', ns: 'user', mode: 'root' }], env)), /user\.max_user_namespaces is 0/);
});

test("recorded environment: Debian's kernel.unprivileged_userns_clone=0 skips the unprivileged creations by name, not the root mode", (t) => {
  const eperm = { state: 'no' as const, detail: 'failed with EPERM' };
  const env = makeEnvironment({
    host: makeHost({ sysctls: { 'kernel.unprivileged_userns_clone': '0', 'user.max_user_namespaces': '63704' } }),
  });
  for (const kind of Object.keys(env.creatable.unprivileged) as Array<keyof typeof env.creatable.unprivileged>)
    env.creatable.unprivileged[kind] = eperm;
  t.is(
    reasonOf([{ kind: 'can-create', ns: 'user', mode: 'unprivileged' }], env),
    "needs to create user namespaces unprivileged (unprivileged user namespaces): Debian's kernel.unprivileged_userns_clone is 0 (/proc/sys/kernel/unprivileged_userns_clone reads 0) — allow them (sysctl -w kernel.unprivileged_userns_clone=1)",
  );
  t.true(reasonOf([{ kind: 'root' }, { kind: 'can-create', ns: 'user', mode: 'root' }], env));
});

test("recorded environment: AppArmor's restriction (creation succeeds, capabilities denied inside, sysctl 1, label unconfined) is named", (t) => {
  const host = makeHost({
    euid: 1001,
    uid: 1001,
    sysctls: { 'kernel.apparmor_restrict_unprivileged_userns': '1' },
    lsms: ['capability', 'lockdown', 'yama', 'apparmor'],
    apparmorLabel: 'unconfined',
  });
  const denied = {
    state: 'no' as const,
    detail: 'unshare(CLONE_NEWUSER|CLONE_NEWUTS) succeeds, then sethostname there fails with EPERM',
  };
  const env = makeEnvironment({ host, unprivilegedDrop: null, privilegedAct: denied });
  const reason = String(reasonOf([{ kind: 'can-create', ns: 'uts', mode: 'unprivileged' }], env));
  t.regex(reason, /AppArmor restricts unprivileged user namespaces/);
  t.regex(reason, /label is unconfined/);
  t.regex(reason, /sysctl -w kernel\.apparmor_restrict_unprivileged_userns=0/);
  // A profile that grants userns: the act succeeds and nothing is skipped.
  t.true(
    reasonOf(
      [{ kind: 'can-create', ns: 'uts', mode: 'unprivileged' }],
      makeEnvironment({ host, unprivilegedDrop: null }),
    ),
  );
  // The act refused while the sysctl is 0: nothing explains it, so the cases run and fail.
  t.true(
    reasonOf(
      [{ kind: 'can-create', ns: 'uts', mode: 'unprivileged' }],
      makeEnvironment({ host: makeHost({ euid: 1001 }), unprivilegedDrop: null, privilegedAct: denied }),
    ),
  );
});

test('a seccomp filter is named only when a call that creates nothing answers otherwise than the kernel does', (t) => {
  const canaries = {
    ...KERNEL_CANARIES,
    clone3: { errno: 'ENOSYS', detail: 'clone3(NULL, 0) gives ENOSYS' },
    unshare: { errno: 'EPERM', detail: 'unshare(0) gives EPERM' },
  };
  const env = makeEnvironment({ host: makeHost({ seccomp: { mode: 2, filters: 1 } }), canaries });
  t.is(
    reasonOf([{ kind: 'syscall', call: 'clone3' }], env),
    "needs clone3(2) (since Linux 5.3): clone3 is refused by a seccomp filter (Seccomp: 2, 1 filter; clone3(NULL, 0) gives ENOSYS where the kernel gives EINVAL) — run outside the container's seccomp profile (docker run --security-opt seccomp=unconfined) or allow clone3",
  );
  t.regex(String(reasonOf([{ kind: 'syscall', call: 'unshare' }], env)), /unshare is refused by a seccomp filter/);
  t.true(reasonOf([{ kind: 'syscall', call: 'setns' }], env));
  t.regex(
    String(
      reasonOf(
        [{ kind: 'syscall', call: 'clone3' }],
        makeEnvironment({ host: makeHost({ kernelRelease: '5.2.21' }), canaries }),
      ),
    ),
    /this kernel has no clone3\(2\) \(Linux 5\.2\.21 < 5\.3\)/,
  );
});

test('a release need skips an older kernel with what changed, and passes a newer one', (t) => {
  const need: Need = { kind: 'kernel-release', release: '5.8', what: 'clone3(2) creates time namespaces' };
  t.is(
    reasonOf([need], makeEnvironment({ host: makeHost({ kernelRelease: '5.6.19' }) })),
    'needs Linux ≥ 5.8: clone3(2) creates time namespaces: this kernel is 5.6.19 — run on Linux ≥ 5.8',
  );
  t.true(reasonOf([need], makeEnvironment({ host: makeHost({ kernelRelease: '5.10.0-31-amd64' }) })));
  t.true(reasonOf([need], makeEnvironment({ host: makeHost({ kernelRelease: '6.1.0' }) })));
});

test('a rootless container: root mode runs, initial-namespace claims skip, unmapped ids skip by name', (t) => {
  const host = makeHost({ uidMap: '0 1000 1\n', gidMap: '0 1000 1\n', inInitialUserNs: false, setgroups: 'deny' });
  const env = makeEnvironment({ host, unprivilegedDrop: { uid: 64646, gid: 64646, nested: true } });
  t.true(
    reasonOf([{ kind: 'root' }, { kind: 'can-create', ns: 'net', mode: 'root' }, { kind: 'unprivileged-ids' }], env),
  );
  t.regex(
    String(reasonOf([{ kind: 'initial-user-ns' }], env)),
    /nested user namespace \(a rootless container\).*— run on the host or in a VM/,
  );
  t.regex(
    String(reasonOf([{ kind: 'mapped-ids', mode: 'root', uids: [1000, 1001], gids: [1000], projids: [] }], env)),
    /uid 1000-1001 not mapped in the runner's \/proc\/self\/uid_map "0 1000 1"/,
  );
  t.true(reasonOf([{ kind: 'mapped-ids', mode: 'unprivileged', uids: [64646], gids: [64646], projids: [] }], env));
  t.regex(String(reasonOf([{ kind: 'setgroups-allowed' }], env)), /setgroups reads "deny"/);
  const noUserNs = makeEnvironment({
    host: makeHost({ ...host, sysctls: { 'user.max_user_namespaces': '0' } }),
    unprivilegedDrop: { uid: 64646, gid: 64646, nested: true },
  });
  t.regex(
    String(reasonOf([{ kind: 'unprivileged-ids' }], noUserNs)),
    /maps only 0, and the nested one to make it in cannot be created: user\.max_user_namespaces is 0/,
  );
});

test('matrix needs follow from the variant: the path is a syscall need, root mode needs root only', (t) => {
  const clone3 = findCreationPath('clone3')!;
  const clone = findCreationPath('clone')!;
  t.deepEqual(variantNeeds({ flagSet: flagSetOf(['user', 'time']), path: clone3, mode: 'unprivileged' }), [
    { kind: 'unprivileged-ids' },
    { kind: 'syscall', call: 'clone3' },
    { kind: 'clone3-time' },
    { kind: 'can-create', ns: 'user', mode: 'unprivileged' },
    { kind: 'can-create', ns: 'time', mode: 'unprivileged' },
  ]);
  t.deepEqual(variantNeeds({ flagSet: flagSetOf(['pid', 'time']), path: clone, mode: 'unprivileged' }), [
    { kind: 'unprivileged-ids' },
    { kind: 'syscall', call: 'cloneNamespaceFlags' },
    { kind: 'kernel-has', ns: 'pid' },
  ]);
  t.deepEqual(variantNeeds({ flagSet: flagSetOf(['net']), path: clone, mode: 'root' }), [
    { kind: 'root' },
    { kind: 'syscall', call: 'cloneNamespaceFlags' },
    { kind: 'can-create', ns: 'net', mode: 'root' },
  ]);
  t.regex(describeNeed({ kind: 'can-create', ns: 'net', mode: 'unprivileged' }), /CLONE_NEWUSER\|CLONE_NEWNET/);
});

test('a kernel that implements the Linux ABI is recognised by what it reports about itself', (t) => {
  t.regex(
    String(
      recogniseOtherKernel({
        kernelRelease: '4.4.0',
        kernelVersion: '#1 SMP Sun Jan 10 15:06:54 PST 2016',
        procVersion: 'Linux version 4.4.0 #1 SMP Sun Jan 10 15:06:54 PST 2016',
      }),
    ),
    /gVisor/,
  );
  t.is(
    recogniseOtherKernel({
      kernelRelease: '6.18.0',
      kernelVersion: '#1 SMP PREEMPT_DYNAMIC',
      procVersion: 'Linux version 6.18.0 (gcc 14)',
    }),
    null,
  );
});
