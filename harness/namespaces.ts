// The namespace table: every flag set, case name and need is derived from these eight rows.

export type NamespaceName = 'mnt' | 'uts' | 'ipc' | 'pid' | 'net' | 'user' | 'cgroup' | 'time';

export interface NamespaceKind {
  readonly name: NamespaceName;
  /** The CLONE_NEW* constant. */
  readonly flag: number;
  readonly flagName: string;
  /** The entry under /proc/<pid>/ns. */
  readonly procEntry: string;
  /** The "_for_children" entry, for kinds whose unshare() affects only later children. */
  readonly forChildrenEntry?: string;
  /** The kconfig symbol that builds the kind in, or null where it is always built in. */
  readonly kconfig: string | null;
  /** The first kernel that had the kind (namespaces(7), clone(2)). */
  readonly firstKernel: string;
}

/** Table order is the order of flags in every case name. */
export const NAMESPACES: readonly NamespaceKind[] = [
  { name: 'mnt', flag: 0x00020000, flagName: 'CLONE_NEWNS', procEntry: 'mnt', kconfig: null, firstKernel: '2.4.19' },
  {
    name: 'uts',
    flag: 0x04000000,
    flagName: 'CLONE_NEWUTS',
    procEntry: 'uts',
    kconfig: 'CONFIG_UTS_NS',
    firstKernel: '2.6.19',
  },
  {
    name: 'ipc',
    flag: 0x08000000,
    flagName: 'CLONE_NEWIPC',
    procEntry: 'ipc',
    kconfig: 'CONFIG_IPC_NS',
    firstKernel: '2.6.19',
  },
  {
    name: 'pid',
    flag: 0x20000000,
    flagName: 'CLONE_NEWPID',
    procEntry: 'pid',
    forChildrenEntry: 'pid_for_children',
    kconfig: 'CONFIG_PID_NS',
    firstKernel: '2.6.24',
  },
  {
    name: 'net',
    flag: 0x40000000,
    flagName: 'CLONE_NEWNET',
    procEntry: 'net',
    kconfig: 'CONFIG_NET_NS',
    firstKernel: '2.6.24',
  },
  {
    name: 'user',
    flag: 0x10000000,
    flagName: 'CLONE_NEWUSER',
    procEntry: 'user',
    kconfig: 'CONFIG_USER_NS',
    firstKernel: '3.8',
  },
  {
    name: 'cgroup',
    flag: 0x02000000,
    flagName: 'CLONE_NEWCGROUP',
    procEntry: 'cgroup',
    kconfig: 'CONFIG_CGROUPS',
    firstKernel: '4.6',
  },
  {
    name: 'time',
    flag: 0x00000080,
    flagName: 'CLONE_NEWTIME',
    procEntry: 'time',
    forChildrenEntry: 'time_for_children',
    kconfig: 'CONFIG_TIME_NS',
    firstKernel: '5.6',
  },
];

export function findNamespace(name: string): NamespaceKind | undefined {
  return NAMESPACES.find((kind) => kind.name === name);
}

export function getNamespace(name: NamespaceName): NamespaceKind {
  const kind = findNamespace(name);
  if (!kind) throw new Error(`unknown namespace kind ${name}`);
  return kind;
}
