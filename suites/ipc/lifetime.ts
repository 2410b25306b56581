// Objects die with their IPC namespace, and an mqueue mount shows its namespace's queues — ipc_namespaces(7); mq_overview(7).
import { bytes, CLONE, expect, MS, O, Script, type SpecClaim, str, u64le } from '../../harness/kit.ts';

const { at } = expect;

/**
 * A queue of 10 messages of 8192 bytes charges about 82 KB to the creator's RLIMIT_MSGQUEUE budget
 * (mq_overview(7)); with the limit at 120000 bytes one such queue fits and a second does not.
 */
const MAXMSG = 10;
const MSGSIZE = 8192;
const LIMIT_BYTES = 120000;
const RLIMIT_MSGQUEUE = 12;

export const objectsDieWithNamespace: SpecClaim = {
  key: 'objects-die-with-namespace',
  kinds: ['user', 'ipc'],
  claim:
    "when an IPC namespace is destroyed its objects are destroyed with it: a queue nobody removed stops holding its creator's RLIMIT_MSGQUEUE bytes once the namespace's last member has exited",
  specIds: ['IPC-05'],
  manPage: 'ipc_namespaces(7); mq_overview(7); getrlimit(2) RLIMIT_MSGQUEUE',
  priv: 'U',
  // Before 5.14 ("Count rlimits in each user namespace") mqueue bytes are charged to the global uid, which concurrent
  // cases share: on 5.10 their queues made this one's mq_open fail with EMFILE. Alone, the budget is this case's own.
  serial: true,
  script: (who) => {
    const s = new Script();
    // A user namespace of its own in both modes: the bytes are counted per user and user namespace.
    s.becomeRoot('p', who);
    s.sys('unshareOwn', 'unshare', CLONE.NEWIPC);
    s.sys('limit', 'prlimit64', 0, RLIMIT_MSGQUEUE, bytes(u64le(LIMIT_BYTES, LIMIT_BYTES)), 0);
    s.fork('member', 'clone3', CLONE.NEWIPC, (c) => {
      c.sys(
        'queue',
        'mq_open',
        str('nsconform-held'),
        O.CREAT | O.EXCL | O.RDWR | O.CLOEXEC,
        0o600,
        bytes(u64le(0, MAXMSG, MSGSIZE, 0, 0, 0, 0, 0)),
      );
      c.post('created', 0);
      c.await('checked', 1);
      // Exits without closing or unlinking: only the namespace's end can free the queue.
    });
    s.await('waitCreated', 0);
    s.op.ipc_mq_try('whileAlive', 'nsconform-probe', MAXMSG, MSGSIZE);
    s.post('release', 1);
    s.wait('memberExit', 'member');
    // Teardown is asynchronous (spec note 2): poll with a bounded deadline.
    s.poll('afterEnd', 'ok', 5000, 'ipc_mq_try', 'nsconform-probe', MAXMSG, MSGSIZE);
    return s;
  },
  checks: () => [
    expect.ok('limit'),
    expect.ok('queue'),
    expect.errno(
      'whileAlive',
      'EMFILE',
      "the member's queue holds the budget: a second queue of its size does not fit",
    ),
    expect.exitCode('memberExit', 0),
    expect.ok('afterEnd', 'within 5 s of the last member exiting, the queue is gone and its bytes are free again'),
  ],
};

const QUEUE = 'nsconform-queue';
const MADE_BY_FILE = 'nsconform-file';

export const mqueueMountShowsOwnQueues: SpecClaim = {
  key: 'mqueue-mount',
  kinds: ['ipc', 'mnt'],
  claim:
    "an mqueue filesystem mounted from inside an IPC namespace shows that namespace's queues, and a file created in it is a queue of that namespace",
  specIds: ['IPC-06'],
  manPage: 'ipc_namespaces(7); mq_overview(7) "Mounting the message queue filesystem"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.sys('unshare', 'unshare', CLONE.NEWIPC | CLONE.NEWNS);
    s.sys('create', 'mq_open', str(QUEUE), O.CREAT | O.EXCL | O.RDWR | O.CLOEXEC, 0o600, 0);
    s.sys('mkdir', 'mkdir', str('{scratch}/mq'), 0o700);
    s.sys('mount', 'mount', str('mqueue'), str('{scratch}/mq'), str('mqueue'), MS.NOSUID | MS.NODEV | MS.NOEXEC, 0);
    s.readdir('listing', '{scratch}/mq');
    s.open('createFile', `{scratch}/mq/${MADE_BY_FILE}`, O.CREAT | O.EXCL | O.RDWR | O.CLOEXEC);
    s.sys('openAsQueue', 'mq_open', str(MADE_BY_FILE), O.RDWR | O.CLOEXEC, 0, 0);
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.ok('create'),
    expect.ok('mount'),
    expect.equals(at('listing', 'names'), QUEUE, 'the mount lists exactly the queue made with mq_open'),
    expect.ok('createFile'),
    expect.ok('openAsQueue', 'a file created in the mount opens with mq_open in the namespace'),
  ],
};
