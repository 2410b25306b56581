// What else keeps a namespace alive after its last member is gone: bind mounts, children, owned namespaces, *_for_children, proc and mqueue mounts — namespaces(7) "Namespace lifetime".
import {
  AT_FDCWD,
  CLONE,
  expect,
  getNamespace,
  MS,
  type NamespaceName,
  NS_IOCTL,
  O,
  ref,
  Script,
  type SpecClaim,
  type SpecVariant,
  str,
} from '../../harness/kit.ts';
import { flagOf, freedAgain, setLimit, stillCounted } from './slots.ts';
import { enterThroughPin, pinChecks, witnessOf } from './witness.ts';

const { at } = expect;
const MAN = 'namespaces(7) "Namespace lifetime"';

/** The script's own mount namespace (for the bind mount) counts against max_mnt_namespaces too. */
const bindLimit = (kind: NamespaceName): number => (kind === 'mnt' ? 2 : 1);

function bindMountPinClaim(kind: NamespaceName): SpecClaim {
  const flag = flagOf(kind);
  const entry = getNamespace(kind).procEntry;
  const kinds: NamespaceName[] = ['mnt', ...(kind === 'mnt' || kind === 'user' ? [] : [kind]), 'user'];
  const witness = witnessOf(kind);
  return {
    key: `bind-mount-pin-${kind}`,
    kinds,
    claim: `a bind mount of /proc/<pid>/ns/${entry} keeps the ${kind} namespace alive after its last member exits, the bind path opens as that namespace, and unmounting it frees the slot`,
    specIds: ['LIFE-03'],
    manPage: MAN,
    priv: 'U',
    needs: kind === 'time' ? [{ kind: 'clone3-time' }] : [{ kind: 'syscall', call: 'clone3' }],
    script: (who) => {
      const s = new Script();
      // mount(2) refuses to bind a mount namespace numbered below the caller's (a loop, EINVAL), and 6.18 numbers
      // namespaces from per-CPU batches: made on two CPUs, the member's can be numbered below the script's.
      if (kind === 'mnt') s.op.pincpu('oneCpu');
      s.becomeRoot('p', who, CLONE.NEWNS);
      setLimit(s, 'limit', kind, bindLimit(kind));
      s.sys('target', 'openat', AT_FDCWD, str(`{scratch}/${entry}`), O.WRONLY | O.CREAT | O.CLOEXEC, 0o600);
      s.sys('closeTarget', 'close', ref('target'));
      s.fork('member', 'clone3', flag, (c) => {
        witness.leave(c);
        c.post('ready', 0);
        c.await('release', 1);
      });
      s.await('waitReady', 0);
      s.stat('memberNs', `/proc/{member}/ns/${entry}`);
      s.sys('bind', 'mount', str(`/proc/{member}/ns/${entry}`), str(`{scratch}/${entry}`), 0, MS.BIND, 0);
      s.post('letGo', 1);
      s.wait('memberExit', 'member');
      s.open('viaBind', `{scratch}/${entry}`);
      s.fstat('bindNs', 'viaBind');
      enterThroughPin(s, 'viaBind', kind, witness);
      s.sys('closeBind', 'close', ref('viaBind'));
      s.sys('unmount', 'umount2', str(`{scratch}/${entry}`), 0);
      freedAgain(s, 'freed', kind);
      return s;
    },
    checks: () => [
      ...(kind === 'mnt' ? [expect.ok('oneCpu', 'the script and the member make their namespaces on one CPU')] : []),
      expect.ok('limit'),
      expect.ok('member'),
      expect.ok('bind', 'the mount namespace belongs to the script'),
      expect.exitCode('memberExit', 0),
      expect.ok('viaBind'),
      expect.same(at('memberNs', 'ino'), at('bindNs', 'ino'), "the bind path is the member's namespace"),
      ...pinChecks(witness, 'the bind path', `the bind mount alone keeps the ${kind} namespace counted`),
      expect.ok('unmount'),
      expect.ok('freed', 'unmounting drops the last reference (polled)'),
    ],
  };
}

const KINDS: readonly NamespaceName[] = ['mnt', 'uts', 'ipc', 'pid', 'net', 'user', 'cgroup', 'time'];

export const bindMountPinClaims: readonly SpecClaim[] = KINDS.map(bindMountPinClaim);

export const childUserNsPinsParent: SpecClaim = {
  key: 'child-userns-pins-parent',
  kinds: ['user'],
  claim:
    'a child user namespace held by a descriptor keeps its parent user namespace alive after the parent has no processes left: both stay counted against max_user_namespaces until the descriptor is closed',
  specIds: ['LIFE-04'],
  manPage: MAN,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    // U2 and its child U3 both count against this namespace's limit (LIM-09); 2 means "both alive".
    setLimit(s, 'limit', 'user', 2);
    s.fork('middle', 'clone3', CLONE.NEWUSER, (c) => {
      c.mapIds('m', 'self', 0, 0);
      c.readlink('middleNs', '/proc/self/ns/user');
      c.fork('inner', 'clone3', CLONE.NEWUSER, (g) => {
        g.await('innerGo', 1);
      });
      // The parent posts: only once clone3 has returned here is {inner} set for the main process.
      c.post('innerReady', 0);
      c.wait('innerExit', 'inner');
    });
    s.await('waitInner', 0);
    s.open('innerFd', '/proc/{inner}/ns/user');
    s.post('letGo', 1);
    s.wait('middleExit', 'middle');
    s.sys('parentFd', 'ioctl', ref('innerFd'), NS_IOCTL.GET_PARENT);
    s.fork('joiner', 'clone3', 0, (c) => {
      c.setns('join', 'parentFd', CLONE.NEWUSER);
      c.readlink('seenNs', '/proc/self/ns/user');
      c.read('seenMap', '/proc/self/uid_map');
    });
    s.wait('joinerExit', 'joiner');
    stillCounted(s, 'held', 'user');
    s.sys('closeParent', 'close', ref('parentFd'));
    s.sys('closeFd', 'close', ref('innerFd'));
    freedAgain(s, 'freed', 'user');
    return s;
  },
  checks: () => [
    expect.ok('limit'),
    expect.ok('mUidMap'),
    expect.ok('inner'),
    expect.ok('innerFd'),
    expect.exitCode('innerExit', 0),
    expect.exitCode('middleExit', 0, "the middle namespace's last process is gone"),
    expect.ok('parentFd', 'NS_GET_PARENT on the held child gives the middle namespace'),
    expect.ok('join'),
    expect.same(at('middleNs', 'text'), at('seenNs', 'text'), 'entered through the child: the middle namespace itself'),
    expect.matches(at('seenMap', 'text'), /^\s*0\s+0\s+1\s*$/, 'with the uid map it wrote while it had processes'),
    expect.exitCode('joinerExit', 0),
    expect.errno('held', 'ENOSPC', 'the middle user namespace is still counted: its child keeps it alive'),
    expect.ok('closeParent'),
    expect.ok('freed'),
  ],
};

const OWNED_HOSTNAME = 'nsconform-owned';

export const ownerStaysWithOwned: SpecClaim = {
  key: 'owner-userns-pinned',
  kinds: ['user', 'uts'],
  claim:
    'a user namespace that owns a UTS namespace stays alive (counted against max_user_namespaces) while only that UTS namespace is held, after all its processes are gone',
  specIds: ['LIFE-05'],
  manPage: MAN,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    setLimit(s, 'limit', 'user', 1);
    s.fork('owner', 'clone3', CLONE.NEWUSER | CLONE.NEWUTS, (c) => {
      c.sys('markHostname', 'sethostname', str(OWNED_HOSTNAME), OWNED_HOSTNAME.length);
      c.post('ready', 0);
      c.await('release', 1);
    });
    s.await('waitReady', 0);
    s.stat('ownerNs', '/proc/{owner}/ns/user');
    s.open('utsFd', '/proc/{owner}/ns/uts');
    s.post('letGo', 1);
    s.wait('ownerExit', 'owner');
    s.sys('ownerFd', 'ioctl', ref('utsFd'), NS_IOCTL.GET_USERNS);
    s.fstat('heldOwner', 'ownerFd');
    s.fork('joiner', 'clone3', 0, (c) => {
      c.setns('join', 'utsFd', CLONE.NEWUTS);
      c.read('seenHostname', '/proc/sys/kernel/hostname');
    });
    s.wait('joinerExit', 'joiner');
    stillCounted(s, 'held', 'user');
    s.sys('closeOwner', 'close', ref('ownerFd'));
    s.sys('closeFd', 'close', ref('utsFd'));
    freedAgain(s, 'freed', 'user');
    return s;
  },
  checks: () => [
    expect.ok('limit'),
    expect.ok('owner'),
    expect.ok('utsFd'),
    expect.exitCode('ownerExit', 0),
    expect.ok('ownerFd', 'NS_GET_USERNS on the held UTS namespace gives its owner'),
    expect.same(at('ownerNs', 'ino'), at('heldOwner', 'ino'), 'the owner the UTS namespace had while it had processes'),
    expect.ok('markHostname'),
    expect.ok('join'),
    expect.matches(
      at('seenHostname', 'text'),
      new RegExp(`^${OWNED_HOSTNAME}\n?$`),
      'the UTS namespace entered through the descriptor keeps the hostname set in it',
    ),
    expect.exitCode('joinerExit', 0),
    expect.errno('held', 'ENOSPC', 'the owning user namespace is still counted'),
    expect.ok('closeOwner'),
    expect.ok('freed', 'closing the UTS descriptor frees the owner as well (polled)'),
  ],
};

function forChildrenClaim(kind: 'pid' | 'time', flag: number, specId: string): SpecClaim {
  return {
    key: `${kind}-for-children-pin`,
    kinds: ['user', kind],
    claim: `a ${kind} namespace named only by a process's ${kind}_for_children (it called unshare(CLONE_NEW${kind.toUpperCase()}) and has no children) stays alive until that process exits`,
    specIds: [specId],
    manPage: `${MAN}; ${kind}_namespaces(7)`,
    priv: 'U',
    script: (who) => {
      const s = new Script();
      s.becomeRoot('p', who);
      setLimit(s, 'limit', kind, 1);
      s.fork('holder', 'clone3', 0, (c) => {
        c.sys('unshare', 'unshare', flag);
        c.readlink('own', `/proc/self/ns/${kind}`);
        c.readlink('forChildren', `/proc/self/ns/${kind}_for_children`);
        c.post('ready', 0);
        c.await('go', 1);
        // The witness that it was alive all along: a child forked now lands in it.
        c.fork('first', 'clone3', 0, (f) => {
          f.sys('firstPid', 'getpid');
          f.readlink('firstNs', `/proc/self/ns/${kind}`);
        });
        c.wait('firstExit', 'first');
      });
      s.await('waitReady', 0);
      stillCounted(s, 'held', kind);
      s.post('letGo', 1);
      s.wait('holderExit', 'holder');
      freedAgain(s, 'freed', kind);
      return s;
    },
    checks: () => [
      expect.ok('limit'),
      expect.ok('unshare'),
      ...(kind === 'time'
        ? [
            expect.differ(
              at('own', 'text'),
              at('forChildren', 'text'),
              'the new namespace has no member: only time_for_children names it',
            ),
          ]
        : []),
      expect.errno('held', 'ENOSPC', `${kind}_for_children keeps it counted`),
      kind === 'time'
        ? expect.same(
            at('forChildren', 'text'),
            at('firstNs', 'text'),
            'a child forked afterwards is in the namespace time_for_children named',
          )
        : expect.ret('firstPid', 1, 'a child forked afterwards is the first process of the namespace: it was alive'),
      expect.exitCode('firstExit', 0),
      expect.exitCode('holderExit', 0),
      expect.ok('freed', 'the exit drops the last reference (polled)'),
    ],
    ...(kind === 'pid' ? { variants: PID_FOR_CHILDREN_VARIANTS } : {}),
  };
}

/** What pid_for_children reads before the namespace has a process (spec D1, D15). */
const PID_FOR_CHILDREN_VARIANTS: readonly SpecVariant[] = [
  {
    id: 'D1: ENOENT until the first child',
    kernels: ['6.1', '6.18'],
    checks: () => [
      expect.errno(
        'forChildren',
        'ENOENT',
        'spec D1: pid_for_children of a namespace that has no process yet reads ENOENT',
      ),
    ],
  },
  {
    id: 'D15: the new namespace at once',
    kernels: ['7.2.13'],
    checks: () => [
      expect.differ(
        at('own', 'text'),
        at('forChildren', 'text'),
        "spec D15: it names the new namespace, not the caller's own",
      ),
    ],
  },
];

export const pidForChildrenPins = forChildrenClaim('pid', CLONE.NEWPID, 'LIFE-06');
export const timeForChildrenPins = forChildrenClaim('time', CLONE.NEWTIME, 'LIFE-07');

export const procMountPins: SpecClaim = {
  key: 'proc-mount-pin',
  kinds: ['mnt', 'pid', 'user'],
  claim:
    "a proc mount keeps its PID namespace alive after the namespace's init has exited, for as long as the mount namespace holding it lives",
  specIds: ['LIFE-09'],
  manPage: `${MAN}; pid_namespaces(7) "/proc and PID namespaces"`,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    setLimit(s, 'limit', 'pid', 1);
    s.fork('init', 'clone3', CLONE.NEWPID | CLONE.NEWNS, (c) => {
      c.sys('mkProc', 'mkdir', str('{scratch}/proc'), 0o755);
      c.sys('mountProc', 'mount', str('proc'), str('{scratch}/proc'), str('proc'), MS.NOSUID | MS.NODEV | MS.NOEXEC, 0);
      c.stat('procMount', '{scratch}/proc');
      c.post('ready', 0);
      c.await('release', 1);
    });
    s.await('waitReady', 0);
    s.open('mntFd', '/proc/{init}/ns/mnt');
    s.post('letGo', 1);
    s.wait('initExit', 'init');
    s.fork('joiner', 'clone3', 0, (c) => {
      c.setns('join', 'mntFd', CLONE.NEWNS);
      c.stat('seenProc', '{scratch}/proc');
    });
    s.wait('joinerExit', 'joiner');
    stillCounted(s, 'held', 'pid');
    s.sys('closeFd', 'close', ref('mntFd'));
    freedAgain(s, 'freed', 'pid');
    return s;
  },
  checks: () => [
    expect.ok('limit'),
    expect.ok('mountProc'),
    expect.ok('mntFd'),
    expect.exitCode('initExit', 0),
    expect.ok('join'),
    expect.same(
      at('procMount', 'dev'),
      at('seenProc', 'dev'),
      "the held mount namespace still has init's proc mount, whose superblock holds the PID namespace",
    ),
    expect.exitCode('joinerExit', 0),
    expect.errno('held', 'ENOSPC', 'the proc mount keeps the PID namespace counted after init exited'),
    expect.ok('freed', 'closing the last reference to the mount namespace frees it (polled)'),
  ],
};

const MQUEUE_Q = '{scratch}/mq/nsconform-q';

export const mqueueMountDoesNotPin: SpecClaim = {
  key: 'mqueue-mount-no-pin',
  kinds: ['mnt', 'ipc', 'user'],
  claim:
    'an mqueue mount does not keep its IPC namespace alive: the slot is freed when the last member exits although the mount lives on, and creating a queue through the orphaned mount fails with EACCES (man page: the mount pins the namespace; kernel: not pinned, spec D5)',
  specIds: ['LIFE-08'],
  manPage: `${MAN}; mq_overview(7)`,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    setLimit(s, 'limit', 'ipc', 1);
    s.fork('owner', 'clone3', CLONE.NEWIPC | CLONE.NEWNS, (c) => {
      c.sys('mkMq', 'mkdir', str('{scratch}/mq'), 0o755);
      c.sys('mountMq', 'mount', str('mqueue'), str('{scratch}/mq'), str('mqueue'), 0, 0);
      c.post('ready', 0);
      c.await('release', 1);
    });
    s.await('waitReady', 0);
    s.open('mntFd', '/proc/{owner}/ns/mnt');
    s.probe('whileMember', CLONE.NEWIPC);
    s.post('letGo', 1);
    s.wait('ownerExit', 'owner');
    freedAgain(s, 'freed', 'ipc');
    s.fork('visitor', 'clone3', 0, (c) => {
      c.setns('join', 'mntFd', CLONE.NEWNS);
      c.stat('scratchDir', '{scratch}');
      c.stat('mqDir', '{scratch}/mq');
      c.sys('newQueue', 'openat', AT_FDCWD, str(MQUEUE_Q), O.RDWR | O.CREAT | O.CLOEXEC, 0o600);
    });
    s.wait('visitorExit', 'visitor');
    s.sys('closeFd', 'close', ref('mntFd'));
    return s;
  },
  checks: () => [
    expect.ok('limit'),
    expect.ok('mountMq'),
    expect.ok('mntFd'),
    expect.errno('whileMember', 'ENOSPC'),
    expect.exitCode('ownerExit', 0),
    expect.ok('freed', 'kernel: the IPC namespace is freed although its mqueue mount is still held (spec D5)'),
    expect.ok('join'),
    expect.differ(at('scratchDir', 'dev'), at('mqDir', 'dev'), 'the mqueue mount lives on in the held mount namespace'),
    expect.errno('newQueue', 'EACCES', 'a queue cannot be created through the orphaned mount (spec D5)'),
  ],
};
