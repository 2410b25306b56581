// Positive witnesses of a pinned namespace: state its member left inside, read back by a process that entered it through the pin.
import {
  AT_FDCWD,
  type Check,
  expect,
  getNamespace,
  IPC,
  type NamespaceName,
  O,
  type Script,
  str,
} from '../../harness/kit.ts';

const { at } = expect;

const PINNED_HOSTNAME = 'nsconform-pinned';
/** Any key: the queue lives in the member's own IPC namespace. */
const QUEUE_KEY = 0x6e73d1a0;
const TTL_FILE = '/proc/sys/net/ipv4/ip_default_ttl';
const PINNED_TTL = '77';

export interface Witness {
  /** Steps the member runs inside its new namespace, before it says it is ready. */
  readonly leave: (member: Script) => void;
  /** Steps a process runs right after it entered the namespace through the pin (setns on the pin's descriptor). */
  readonly read: (entered: Script) => void;
  /** Steps the script's first process runs afterwards, outside the namespace. */
  readonly outside?: (s: Script) => void;
  readonly checks: readonly Check[];
}

/** State per kind that only the member's namespace holds; kinds with nothing to set are witnessed by identity alone. */
const STATE: Partial<Record<NamespaceName, Omit<Witness, 'checks'> & { checks: Check[] }>> = {
  uts: {
    leave: (c) => c.sys('markState', 'sethostname', str(PINNED_HOSTNAME), PINNED_HOSTNAME.length),
    read: (c) => c.read('seenState', '/proc/sys/kernel/hostname'),
    checks: [
      expect.ok('markState'),
      expect.matches(at('seenState', 'text'), new RegExp(`^${PINNED_HOSTNAME}\n?$`), 'the hostname the member set'),
    ],
  },
  ipc: {
    leave: (c) => c.sys('markState', 'msgget', QUEUE_KEY, IPC.CREAT | 0o600),
    read: (c) => c.sys('seenState', 'msgget', QUEUE_KEY, 0),
    checks: [expect.ok('markState'), expect.same(at('markState'), at('seenState'), 'the queue the member created')],
  },
  net: {
    leave: (c) => c.write('markState', TTL_FILE, PINNED_TTL),
    read: (c) => c.read('seenState', TTL_FILE),
    checks: [
      expect.ok('markState'),
      expect.matches(at('seenState', 'text'), new RegExp(`^${PINNED_TTL}\n?$`), 'the ip_default_ttl the member set'),
    ],
  },
  user: {
    leave: (c) => c.mapIds('mark', 'self', 0, 0),
    read: (c) => c.read('seenState', '/proc/self/uid_map'),
    checks: [
      expect.ok('markUidMap'),
      expect.matches(at('seenState', 'text'), /^\s*0\s+0\s+1\s*$/, 'the uid map the member wrote'),
    ],
  },
  mnt: {
    leave: (c) => {
      c.sys('markMount', 'mount', str('tmpfs'), str('{scratch}'), str('tmpfs'), 0, 0);
      c.sys('markState', 'openat', AT_FDCWD, str('{scratch}/pinned'), O.WRONLY | O.CREAT | O.CLOEXEC, 0o600);
    },
    read: (c) => c.stat('seenState', '{scratch}/pinned'),
    outside: (s) => s.stat('outsideState', '{scratch}/pinned'),
    checks: [
      expect.ok('markMount'),
      expect.ok('markState'),
      expect.ok('seenState', 'the file the member made on its own tmpfs'),
      expect.errno('outsideState', 'ENOENT', 'which is not there outside the pinned mount namespace'),
    ],
  },
};

/** The entry that names the namespace a setns() put the caller in: PID namespaces apply to children only. */
const enteredEntry = (kind: NamespaceName): string =>
  kind === 'pid' ? 'pid_for_children' : getNamespace(kind).procEntry;

export function witnessOf(kind: NamespaceName): Witness {
  const entry = getNamespace(kind).procEntry;
  const state = STATE[kind];
  return {
    leave: (c) => {
      c.readlink('markNs', `/proc/self/ns/${entry}`);
      state?.leave(c);
    },
    read: (c) => {
      c.readlink('seenNs', `/proc/self/ns/${enteredEntry(kind)}`);
      state?.read(c);
    },
    outside: state?.outside,
    checks: [
      ...(state?.checks ?? []),
      expect.same(
        at('markNs', 'text'),
        at('seenNs', 'text'),
        'the process that entered through the pin is in the pinned namespace',
      ),
    ],
  };
}

/** A joiner enters the namespace through the pin held in `pinFd` and reads the witness; then the slot is asked once. */
export function enterThroughPin(s: Script, pinFd: string, kind: NamespaceName, witness: Witness): void {
  s.fork('joiner', 'clone3', 0, (c) => {
    c.setns('join', pinFd, getNamespace(kind).flag);
    witness.read(c);
  });
  s.wait('joinerExit', 'joiner');
  witness.outside?.(s);
  s.probe('held', getNamespace(kind).flag);
}

/** What enterThroughPin must find: the join works, the witness holds, the slot is still counted. */
export function pinChecks(witness: Witness, how: string, counted: string): Check[] {
  return [
    expect.ok('join', `setns() through ${how} after every member is gone`),
    ...witness.checks,
    expect.exitCode('joinerExit', 0),
    expect.errno('held', 'ENOSPC', counted),
  ];
}
