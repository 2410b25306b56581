// What root of a user namespace may mount or create, and what stays reserved to the initial namespace — user_namespaces(7) "Effect of capabilities within a user namespace".
import { CLONE, expect, MS, rootBlockDevice, Script, type SpecClaim, str } from '../../harness/kit.ts';

const S_IFCHR = 0o020000;
const S_IFIFO = 0o010000;
/** makedev(1, 3): /dev/null's numbers. */
const DEV_NULL = 0x103;

/** mkdir {scratch}/NAME then mount(source, it, fstype, flags, data). */
function mountAt(
  s: Script,
  label: string,
  name: string,
  fstype: string,
  source = fstype,
  data?: string,
  flags = 0,
): void {
  s.sys(`${label}Dir`, 'mkdir', str(`{scratch}/${name}`), 0o755);
  s.sys(label, 'mount', str(source), str(`{scratch}/${name}`), str(fstype), flags, data === undefined ? 0 : str(data));
}

export const noDeviceNodes: SpecClaim = {
  key: 'mknod-eperm',
  kinds: ['user'],
  claim:
    'root of a user namespace gets EPERM creating a character device node with mknod in a directory it may write, where it can make a FIFO',
  specIds: ['USER-25'],
  manPage: 'user_namespaces(7) "Effect of capabilities within a user namespace"; mknod(2) ERRORS',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    s.sys('chr', 'mknod', str('{scratch}/null'), S_IFCHR | 0o600, DEV_NULL);
    s.sys('fifo', 'mknod', str('{scratch}/fifo'), S_IFIFO | 0o600, 0);
    return s;
  },
  checks: () => [expect.ok('pUidMap'), expect.errno('chr', 'EPERM'), expect.ok('fifo', 'the directory is writable')],
};

export const userMountableFilesystems: SpecClaim = {
  key: 'userns-mounts',
  kinds: ['user', 'mnt', 'net', 'ipc', 'pid'],
  claim:
    'root of a user namespace that owns its mount namespace may mount tmpfs, ramfs, devpts, mqueue, sysfs (owning the net namespace), proc (only owning the PID namespace, EPERM before) and overlay, but gets EPERM for bpf (man page: bpf allowed since 4.4; kernel: EPERM, spec D6)',
  specIds: ['USER-26'],
  manPage: 'user_namespaces(7) "Effect of capabilities within a user namespace"',
  priv: 'U',
  needs: [
    ...['tmpfs', 'ramfs', 'devpts', 'mqueue', 'sysfs', 'proc', 'overlay', 'bpf'].map(
      (name) => ({ kind: 'filesystem', name }) as const,
    ),
    // Measured: 5.10.0-32 refuses the overlay mount with EPERM; overlayfs gained FS_USERNS_MOUNT in 5.11.
    {
      kind: 'kernel-release',
      release: '5.11',
      what: 'overlayfs may be mounted in a user namespace (FS_USERNS_MOUNT, "ovl: unprivieged mounts")',
    } as const,
  ],
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who, CLONE.NEWNS | CLONE.NEWNET | CLONE.NEWIPC);
    mountAt(s, 'tmpfs', 'tmpfs', 'tmpfs');
    mountAt(s, 'ramfs', 'ramfs', 'ramfs');
    mountAt(s, 'devpts', 'devpts', 'devpts');
    mountAt(s, 'mqueue', 'mqueue', 'mqueue');
    mountAt(s, 'sysfs', 'sysfs', 'sysfs');
    mountAt(s, 'bpf', 'bpf', 'bpf');
    mountAt(s, 'foreignProc', 'proc', 'proc');
    // overlay needs its upper and work directories on one writable filesystem: the tmpfs above.
    for (const dir of ['lower', 'upper', 'work']) s.sys(`${dir}Dir`, 'mkdir', str(`{scratch}/tmpfs/${dir}`), 0o755);
    mountAt(
      s,
      'overlay',
      'overlay',
      'overlay',
      'overlay',
      'lowerdir={scratch}/tmpfs/lower,upperdir={scratch}/tmpfs/upper,workdir={scratch}/tmpfs/work',
    );
    s.sys('newPid', 'unshare', CLONE.NEWPID);
    s.fork('init', 'clone3', 0, (c) => {
      c.sys('ownProc', 'mount', str('proc'), str('{scratch}/proc'), str('proc'), 0, 0);
      c.stat('procSelf', '{scratch}/proc/self');
    });
    s.wait('initExit', 'init');
    return s;
  },
  checks: () => [
    expect.ok('pUnshare'),
    expect.ok('tmpfs'),
    expect.ok('ramfs'),
    expect.ok('devpts'),
    expect.ok('mqueue'),
    expect.ok('sysfs', 'the user namespace owns the net namespace'),
    expect.errno('bpf', 'EPERM', 'spec D6'),
    expect.errno('foreignProc', 'EPERM', 'the PID namespace is still the initial one'),
    expect.ok('overlay'),
    expect.ok('newPid'),
    expect.ok('ownProc', 'proc of a PID namespace the user namespace owns'),
    expect.ok('procSelf'),
  ],
};

export const cgroupMounts: SpecClaim = {
  key: 'cgroup-mounts',
  kinds: ['user', 'mnt', 'cgroup'],
  claim:
    'root of a user namespace may mount cgroup2 once it owns its cgroup namespace (EPERM before); a new named cgroup v1 hierarchy gives EPERM both before and after (man page: named v1 hierarchies allowed; kernel: EPERM for a new one, spec D7)',
  specIds: ['USER-27'],
  manPage: 'user_namespaces(7) "Effect of capabilities within a user namespace"; cgroup_namespaces(7)',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who, CLONE.NEWNS);
    mountAt(s, 'hostV2', 'v2host', 'cgroup2', 'none');
    mountAt(s, 'hostNamed', 'namedhost', 'cgroup', 'none', 'none,name=nsconform-b1');
    s.sys('newCgroup', 'unshare', CLONE.NEWCGROUP);
    mountAt(s, 'ownV2', 'v2own', 'cgroup2', 'none');
    s.stat('ownV2Procs', '{scratch}/v2own/cgroup.procs');
    mountAt(s, 'ownNamed', 'namedown', 'cgroup', 'none', 'none,name=nsconform-b2');
    return s;
  },
  checks: () => [
    expect.ok('pUnshare'),
    expect.errno('hostV2', 'EPERM', 'still in the initial cgroup namespace'),
    expect.errno('hostNamed', 'EPERM'),
    expect.ok('newCgroup'),
    expect.ok('ownV2'),
    expect.ok('ownV2Procs'),
    expect.errno('ownNamed', 'EPERM', 'spec D7: a new named v1 hierarchy'),
  ],
};

export const noBlockDeviceMounts: SpecClaim = {
  key: 'block-mount-eperm',
  kinds: ['user', 'mnt'],
  claim:
    "root of a user namespace that owns its mount namespace gets EPERM mounting a block-device filesystem (the root filesystem's device, read-only), where tmpfs mounts",
  specIds: ['USER-28'],
  manPage: 'user_namespaces(7) "Effect of capabilities within a user namespace"',
  priv: 'U',
  needs: [{ kind: 'root-block-device' }],
  script: (who) => {
    const s = new Script();
    const root = rootBlockDevice() ?? { source: '/dev/null', fstype: 'ext4' }; // the need skips the case without one
    s.becomeRoot('p', who, CLONE.NEWNS);
    mountAt(s, 'tmpfs', 'tmpfs', 'tmpfs');
    mountAt(s, 'block', 'block', root.fstype, root.source, undefined, MS.RDONLY);
    return s;
  },
  checks: () => [expect.ok('pUnshare'), expect.ok('tmpfs'), expect.errno('block', 'EPERM')],
};
