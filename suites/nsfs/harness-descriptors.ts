// ioctl_ns(2) issued by the harness itself, through koffi, on descriptors it opened for its own namespaces — ioctl_ns(2).
import { closeSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { type Check, expect, FD_CLOEXEC, NAMESPACES, NS_IOCTL } from '../../harness/kit.ts';
import type { StepRecord } from '../../harness/observer/record.ts';
import { HARNESS_MODE, record, type HarnessClaim } from '../../harness/script/harness-claim.ts';
import {
  descriptorFlags,
  getNamespaceType,
  getOwnerUid,
  openOwningUserNamespace,
  openParentNamespace,
  rawNamespaceIoctl,
} from '../../harness/nsfs/ioctl.ts';
import { NS_ENTRIES } from './entries.ts';

const { at } = expect;
const O_ACCMODE = 3;

/** Opens /proc/self/ns/<entry> (or any path), runs fn on the descriptor, and always closes it. */
function withFd<T>(path: string, fn: (fd: number) => T): T {
  const fd = openSync(path, 'r');
  try {
    return fn(fd);
  } finally {
    closeSync(fd);
  }
}

const flagOf = (type: string): number => NAMESPACES.find((kind) => kind.procEntry === type)!.flag;
const NON_HIERARCHICAL = ['uts', 'ipc', 'net', 'mnt', 'cgroup', 'time'] as const;

export const harnessNamespaceTypes: HarnessClaim = {
  key: 'harness-nstype',
  kinds: [],
  claim:
    "NS_GET_NSTYPE on the harness's own /proc/self/ns descriptors returns each entry's CLONE_NEW* constant (koffi)",
  specIds: ['IOC-08'],
  manPage: 'ioctl_ns(2) "Discovering the namespace type"',
  gather: () =>
    NS_ENTRIES.map(({ entry }) =>
      withFd(`/proc/self/ns/${entry}`, (fd) => record(`type_${entry}`, getNamespaceType(fd))),
    ),
  checks: () => NS_ENTRIES.map(({ entry, type }): Check => expect.ret(`type_${entry}`, flagOf(type), `entry ${entry}`)),
};

export const harnessParents: HarnessClaim = {
  key: 'harness-parents',
  kinds: ['pid', 'user'],
  claim:
    "NS_GET_PARENT on the harness's own descriptors gives EINVAL for uts, ipc, net, mnt, cgroup and time, and EPERM for the initial user and PID namespaces (koffi)",
  specIds: ['IOC-04', 'IOC-05'],
  manPage: 'ioctl_ns(2) ERRORS',
  needs: [{ kind: 'initial-user-ns' }],
  gather: () => {
    const steps: StepRecord[] = NON_HIERARCHICAL.map((kind) =>
      withFd(`/proc/self/ns/${kind}`, (fd) => record(`parent_${kind}`, openParentNamespace(fd))),
    );
    steps.push(withFd('/proc/self/ns/user', (fd) => record('parent_user', openParentNamespace(fd))));
    steps.push(withFd('/proc/self/ns/pid', (fd) => record('parent_pid', openParentNamespace(fd))));
    steps.push({ l: 'status', p: HARNESS_MODE, r: 0, text: readFileSync('/proc/self/status', 'utf8') });
    for (const step of steps) if (step.r >= 0) closeSync(step.r); // a parent descriptor that should not exist
    return steps;
  },
  checks: () => [
    ...NON_HIERARCHICAL.map((kind): Check => expect.errno(`parent_${kind}`, 'EINVAL', kind)),
    expect.errno('parent_user', 'EPERM', 'the initial user namespace'),
    expect.matches(at('status', 'text'), /\nNSpid:\t\d+\n/, 'the harness is in the initial PID namespace'),
    expect.errno('parent_pid', 'EPERM', 'the initial PID namespace'),
  ],
};

export const harnessOwner: HarnessClaim = {
  key: 'harness-owner',
  kinds: ['user', 'uts'],
  claim:
    "NS_GET_USERNS on the harness's own UTS descriptor returns a read-only, close-on-exec descriptor for its user namespace; NS_GET_OWNER_UID gives 0 for the initial user namespace and EINVAL on a UTS descriptor (koffi)",
  specIds: ['IOC-01', 'IOC-07', 'IOC-09', 'IOC-10'],
  manPage: 'ioctl_ns(2) "Discovering namespace relationships", "Discovering the owner of a user namespace"',
  needs: [{ kind: 'initial-user-ns' }],
  gather: () => {
    const user = statSync('/proc/self/ns/user');
    const steps = withFd('/proc/self/ns/uts', (uts) => {
      const owner = openOwningUserNamespace(uts);
      const ownerStep = record('owner', owner);
      if (owner.ok) {
        const stat = fstatSync(owner.value);
        Object.assign(ownerStep, { ino: stat.ino, dev: stat.dev });
        const flags = descriptorFlags(owner.value);
        closeSync(owner.value);
        return [
          ownerStep,
          record(
            'flags',
            flags.ok ? { ok: true, value: 0 } : flags,
            flags.ok ? { fd: flags.value.fd, fl: flags.value.fl & O_ACCMODE } : {},
          ),
          record('utsOwnerUid', rawNamespaceIoctl(uts, NS_IOCTL.GET_OWNER_UID)),
        ];
      }
      return [ownerStep, record('utsOwnerUid', rawNamespaceIoctl(uts, NS_IOCTL.GET_OWNER_UID))];
    });
    const ownerUid = withFd('/proc/self/ns/user', (fd) => getOwnerUid(fd));
    return [
      { l: 'userLink', p: HARNESS_MODE, r: 0, ino: user.ino, dev: user.dev },
      ...steps,
      record('ownerUid', ownerUid.ok ? { ok: true, value: 0 } : ownerUid, ownerUid.ok ? { uid: ownerUid.value } : {}),
    ];
  },
  checks: () => [
    expect.ok('owner'),
    expect.same(at('userLink', 'ino'), at('owner', 'ino')),
    expect.same(at('userLink', 'dev'), at('owner', 'dev')),
    expect.equals(at('flags', 'fl'), 0, 'O_RDONLY'),
    expect.equals(at('flags', 'fd'), FD_CLOEXEC, 'FD_CLOEXEC'),
    expect.ok('ownerUid'),
    expect.equals(at('ownerUid', 'uid'), 0, 'the initial user namespace was created by uid 0'),
    expect.errno('utsOwnerUid', 'EINVAL'),
  ],
};

export const harnessNotNsfs: HarnessClaim = {
  key: 'harness-not-nsfs',
  kinds: [],
  claim:
    'every ioctl_ns request on a descriptor the harness opened for a regular file or /dev/null gives ENOTTY (koffi)',
  specIds: ['IOC-11'],
  manPage: 'ioctl_ns(2) ERRORS',
  gather: () =>
    ['/proc/self/status', '/dev/null'].flatMap((path, i) =>
      withFd(path, (fd) =>
        Object.entries(NS_IOCTL).map(([name, request]) =>
          record(`${i === 0 ? 'file' : 'null'}_${name}`, rawNamespaceIoctl(fd, request)),
        ),
      ),
    ),
  checks: () =>
    Object.keys(NS_IOCTL).flatMap((name): Check[] => [
      expect.errno(`file_${name}`, 'ENOTTY'),
      expect.errno(`null_${name}`, 'ENOTTY'),
    ]),
};
