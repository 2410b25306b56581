// IPC sysctls are per IPC namespace and a new namespace starts at the kernel defaults — ipc_namespaces(7).
import { type Check, CLONE, expect, Script, type SpecClaim } from '../../harness/kit.ts';

const { at } = expect;

interface IpcSysctl {
  /** A short label part. */
  readonly name: string;
  readonly path: string;
  /** The kernel's default for a new IPC namespace (ipc/msg.c, sem.c, shm.c, mqueue.c). */
  readonly initial: string;
  /** A value the first namespace writes, and another the second writes. */
  readonly first: string;
  readonly second: string;
}

const SHM_DEFAULT_MAX = '18446744073692774399'; // ULONG_MAX - (1 << 24)

export const IPC_SYSCTLS: readonly IpcSysctl[] = [
  { name: 'Msgmax', path: '/proc/sys/kernel/msgmax', initial: '8192', first: '4000', second: '5000' },
  { name: 'Msgmnb', path: '/proc/sys/kernel/msgmnb', initial: '16384', first: '4001', second: '5001' },
  { name: 'Msgmni', path: '/proc/sys/kernel/msgmni', initial: '32000', first: '4002', second: '5002' },
  {
    name: 'Sem',
    path: '/proc/sys/kernel/sem',
    initial: '32000\t1024000000\t500\t32000',
    first: '250\t32000\t32\t128',
    second: '251\t32001\t33\t129',
  },
  { name: 'Shmall', path: '/proc/sys/kernel/shmall', initial: SHM_DEFAULT_MAX, first: '4003', second: '5003' },
  { name: 'Shmmax', path: '/proc/sys/kernel/shmmax', initial: SHM_DEFAULT_MAX, first: '4004', second: '5004' },
  { name: 'Shmmni', path: '/proc/sys/kernel/shmmni', initial: '4096', first: '4005', second: '3005' },
  { name: 'RmidForced', path: '/proc/sys/kernel/shm_rmid_forced', initial: '0', first: '1', second: '1' },
  { name: 'MqMsgMax', path: '/proc/sys/fs/mqueue/msg_max', initial: '10', first: '40', second: '50' },
  { name: 'MqMsgsizeMax', path: '/proc/sys/fs/mqueue/msgsize_max', initial: '8192', first: '4006', second: '5006' },
  { name: 'MqQueuesMax', path: '/proc/sys/fs/mqueue/queues_max', initial: '256', first: '41', second: '51' },
  { name: 'MqMsgDefault', path: '/proc/sys/fs/mqueue/msg_default', initial: '10', first: '12', second: '13' },
  {
    name: 'MqMsgsizeDefault',
    path: '/proc/sys/fs/mqueue/msgsize_default',
    initial: '8192',
    first: '1024',
    second: '2048',
  },
];

export const sysctlsPerNamespace: SpecClaim = {
  key: 'sysctls-per-namespace',
  kinds: ['ipc'],
  claim:
    "the kernel.msg*, sem, shm* and fs.mqueue sysctls are separate per IPC namespace: a new namespace starts at the kernel defaults, not its creator's values, and a write in one namespace is not seen in another",
  specIds: ['IPC-04'],
  manPage: 'ipc_namespaces(7); proc(5) /proc/sys/kernel, /proc/sys/fs/mqueue',
  priv: 'U',
  // Before "sysctl: allow change system v ipc sysctls inside ipc namespace" (50ec499b9a43, with its mqueue twin) the
  // files stayed owned by global root: a user namespace's root got EACCES (measured on 5.10.0-32). Upstream in 6.8;
  // Debian's 6.1 has it from the 6.1.104 stable backport, which uname -r does not show, so the need names 6.1.
  unprivilegedNeeds: [
    {
      kind: 'kernel-release',
      release: '6.1',
      what: "the root of an IPC namespace's user namespace may write its ipc and mqueue sysctls (upstream 6.8, commit 50ec499b9a43; 6.1 stable from 6.1.104)",
    },
  ],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    // Written only inside namespaces this script creates (spec note 11; the host guard enforces it).
    s.sys('unshareA', 'unshare', CLONE.NEWIPC);
    for (const sysctl of IPC_SYSCTLS) s.write(`aSet${sysctl.name}`, sysctl.path, `${sysctl.first}\n`);
    s.fork('b', 'clone3', CLONE.NEWIPC, (c) => {
      for (const sysctl of IPC_SYSCTLS) c.read(`bInitial${sysctl.name}`, sysctl.path);
      for (const sysctl of IPC_SYSCTLS) c.write(`bSet${sysctl.name}`, sysctl.path, `${sysctl.second}\n`);
    });
    s.wait('bExit', 'b');
    for (const sysctl of IPC_SYSCTLS) s.read(`aAfter${sysctl.name}`, sysctl.path);
    return s;
  },
  checks: () => {
    const checks: Check[] = [expect.ok('unshareA')];
    for (const sysctl of IPC_SYSCTLS) {
      checks.push(
        expect.ok(`aSet${sysctl.name}`),
        expect.equals(
          at(`bInitial${sysctl.name}`, 'text'),
          `${sysctl.initial}\n`,
          `${sysctl.path} starts at the default in a new namespace`,
        ),
        expect.ok(`bSet${sysctl.name}`),
        expect.equals(
          at(`aAfter${sysctl.name}`, 'text'),
          `${sysctl.first}\n`,
          `${sysctl.path} of the first namespace keeps its own value`,
        ),
      );
    }
    return checks;
  },
};
