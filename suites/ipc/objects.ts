// SysV and POSIX IPC objects belong to one IPC namespace — ipc_namespaces(7); mq_overview(7).
import { CLONE, expect, IPC, O, out, Script, type ScriptIdentity, type SpecClaim, str } from '../../harness/kit.ts';

const { at } = expect;
/** The SysV key every object of these scripts uses ("nsc" in ASCII), and its decimal form in /proc/sysvipc. */
const KEY = 0x6e7363;
const QUEUE = '/nsconform-queue';
/** struct msqid_ds / semid_ds / shmid_ds fit in 128 bytes on every 64-bit ABI. */
const STAT_BUF = 128;

/** Root of a new IPC namespace "A" (in a new user namespace when unprivileged), holding one message queue, semaphore set and segment under KEY. */
function namespaceWithSysvObjects(who: ScriptIdentity): Script {
  const s = new Script();
  s.privileged('p', who);
  // Even real root works in a namespace of its own: the host's IPC objects are never touched.
  s.sys('unshareA', 'unshare', CLONE.NEWIPC);
  s.sys('msg', 'msgget', KEY, IPC.CREAT | IPC.EXCL | 0o600);
  s.sys('sem', 'semget', KEY, 1, IPC.CREAT | IPC.EXCL | 0o600);
  s.sys('shm', 'shmget', KEY, 4096, IPC.CREAT | IPC.EXCL | 0o600);
  return s;
}

export const sysvObjectsIsolated: SpecClaim = {
  key: 'sysv-isolated',
  kinds: ['ipc'],
  claim:
    'SysV message queues, semaphore sets and shared memory segments of one IPC namespace are invisible in another: lookups by key fail with ENOENT and operations by id with EINVAL',
  specIds: ['IPC-01'],
  manPage: 'ipc_namespaces(7); msgget(2), semget(2), shmget(2) ERRORS',
  priv: 'U',
  script: (who) => {
    const s = namespaceWithSysvObjects(who);
    s.sys('msgAgain', 'msgget', KEY, 0);
    s.fork('other', 'clone3', CLONE.NEWIPC, (c) => {
      c.sys('msgByKey', 'msgget', KEY, 0);
      c.sys('semByKey', 'semget', KEY, 0, 0);
      c.sys('shmByKey', 'shmget', KEY, 0, 0);
      c.sys('msgById', 'msgctl', '$msg', IPC.STAT, out(STAT_BUF));
      c.sys('semById', 'semctl', '$sem', 0, IPC.STAT, out(STAT_BUF));
      c.sys('shmById', 'shmctl', '$shm', IPC.STAT, out(STAT_BUF));
    });
    s.wait('otherExit', 'other');
    s.sys('semAgain', 'semget', KEY, 0, 0);
    s.sys('shmStat', 'shmctl', '$shm', IPC.STAT, out(STAT_BUF));
    return s;
  },
  checks: () => [
    expect.ok('unshareA'),
    expect.ok('msg'),
    expect.ok('sem'),
    expect.ok('shm'),
    expect.same(at('msg'), at('msgAgain'), 'the owner namespace finds its queue by key'),
    expect.errno('msgByKey', 'ENOENT'),
    expect.errno('semByKey', 'ENOENT'),
    expect.errno('shmByKey', 'ENOENT'),
    expect.errno('msgById', 'EINVAL'),
    expect.errno('semById', 'EINVAL'),
    expect.errno('shmById', 'EINVAL'),
    expect.same(at('sem'), at('semAgain'), 'the objects still exist in their own namespace'),
    expect.ok('shmStat'),
  ],
};

export const procSysvipcPerNamespace: SpecClaim = {
  key: 'proc-sysvipc',
  kinds: ['ipc'],
  claim:
    "/proc/sysvipc/msg, sem and shm list only the reader's IPC namespace: a new namespace shows just the header line",
  specIds: ['IPC-03'],
  manPage: 'ipc_namespaces(7); proc(5) /proc/sysvipc',
  priv: 'U',
  script: (who) => {
    const s = namespaceWithSysvObjects(who);
    s.read('ownerMsg', '/proc/sysvipc/msg');
    s.read('ownerSem', '/proc/sysvipc/sem');
    s.read('ownerShm', '/proc/sysvipc/shm');
    s.fork('other', 'clone3', CLONE.NEWIPC, (c) => {
      c.read('otherMsg', '/proc/sysvipc/msg');
      c.read('otherSem', '/proc/sysvipc/sem');
      c.read('otherShm', '/proc/sysvipc/shm');
    });
    s.wait('otherExit', 'other');
    return s;
  },
  checks: () => {
    const listed = new RegExp(`^\\s*${KEY}\\s`, 'm');
    const headerOnly = /^\s*key\s[^\n]*\n$/;
    return [
      expect.ok('msg'),
      expect.ok('sem'),
      expect.ok('shm'),
      expect.matches(at('ownerMsg', 'text'), listed, "the owner namespace's queue is listed by its key"),
      expect.matches(at('ownerSem', 'text'), listed),
      expect.matches(at('ownerShm', 'text'), listed),
      expect.matches(at('otherMsg', 'text'), headerOnly, 'another namespace lists nothing'),
      expect.matches(at('otherSem', 'text'), headerOnly),
      expect.matches(at('otherShm', 'text'), headerOnly),
    ];
  },
};

export const posixQueuesIsolated: SpecClaim = {
  key: 'mq-isolated',
  kinds: ['ipc'],
  claim:
    'a POSIX message queue belongs to one IPC namespace: mq_open of its name from another namespace fails with ENOENT',
  specIds: ['IPC-02'],
  manPage: 'ipc_namespaces(7); mq_overview(7); mq_open(3) ERRORS',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.sys('unshareA', 'unshare', CLONE.NEWIPC);
    // mq_open(3) passes the name without its leading slash to the system call.
    s.sys('create', 'mq_open', str(QUEUE.slice(1)), O.CREAT | O.EXCL | O.RDWR | O.CLOEXEC, 0o600, 0);
    s.fork('other', 'clone3', CLONE.NEWIPC, (c) => {
      c.sys('otherOpen', 'mq_open', str(QUEUE.slice(1)), O.RDWR | O.CLOEXEC, 0, 0);
    });
    s.wait('otherExit', 'other');
    s.sys('ownerOpen', 'mq_open', str(QUEUE.slice(1)), O.RDWR | O.CLOEXEC, 0, 0);
    return s;
  },
  checks: () => [
    expect.ok('unshareA'),
    expect.ok('create'),
    expect.errno('otherOpen', 'ENOENT'),
    expect.ok('ownerOpen', 'the owner namespace still opens it'),
  ],
};
