// The guest's /init: reach the host's tree (9p, or an ext4 disk), switch_root into it, apply the settings, run nsconform, bring the reports out, power off.
import type { ShareKind } from './share.ts';
import type { Sysctl } from './guest-settings.ts';

export interface GuestPlan {
  /** Module file names under /modules, in load order. */
  readonly modules: readonly string[];
  readonly share: ShareKind;
  /** The project directory, the same path on host and guest. */
  readonly projectDir: string;
  /** Where the reports go: with 9p a writable share mounted at this same path in the guest. */
  readonly outDir: string;
  /** The runner, relative to projectDir: the precompiled bundle, or bin/nsconform.js. */
  readonly entry: string;
  /** Arguments for the root run (--only, --timeout, …). */
  readonly runArgs: readonly string[];
  /** Arguments for the run as uid 65534 (what only a non-root runner shows). */
  readonly userRunArgs: readonly string[];
  readonly sysctls: readonly Sysctl[];
  /** Recorded in both reports as run properties (vm.*). */
  readonly properties: Readonly<Record<string, string>>;
}

/** Printed on the console when the guest is up; the host measures boot time by it. */
export const GUEST_UP = 'nsconform-vm: guest up';
/** Each phase starts with this line; the host times the phases by when the lines arrive. */
export const PHASE = 'nsconform-vm: phase';
/** The guest's last line before it powers off: the host reads qemu's CPU time here, while qemu still runs. */
export const POWER_OFF = 'nsconform-vm: root run exit';
/** A setup step the run cannot go on without failed: the rest of the line says which. */
export const SETUP_FAILED = 'nsconform-vm: setup failed:';

/** The files the guest hands back, from SCRATCH. */
export const GUEST_FILES = [
  'root.junit.xml',
  'root.json',
  'root.status',
  'user.junit.xml',
  'user.json',
  'user.status',
  'taint.before',
  'taint.after',
  'dmesg.run',
];

/**
 * The guest's writable scratch space (TMPDIR, HOME, reports before they are copied out), on a tmpfs
 * over /run. Not over /tmp: the checkout itself may live under the host's /tmp, as CI's clone does.
 */
export const SCRATCH = '/run/nsconform';

export function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function writeSysctls(sysctls: readonly Sysctl[]): string {
  return sysctls
    .map(({ key, path, value }) => {
      const file = quote(`/proc/sys/${path}`);
      return `if [ ! -e ${file} ]; then echo "${SETUP_FAILED} sysctl ${key} does not exist on $(uname -r)"; ok=0
elif ! printf '%s\\n' ${quote(value)} > ${file}; then echo "${SETUP_FAILED} sysctl ${key}=${value} was refused"; ok=0; fi`;
    })
    .join('\n');
}

function collect(plan: GuestPlan): string {
  const files = GUEST_FILES.map((file) => `[ -e ${SCRATCH}/${file} ] && echo ${file}`).join('; ');
  if (plan.share === '9p')
    return `for file in $( ${files} ); do cp ${SCRATCH}/$file ${quote(plan.outDir)}/; done\nsync\numount ${quote(plan.outDir)}`;
  // The second disk is raw: a tar stream written over it, read back by the host.
  return `tar -cf /dev/vdb -C ${SCRATCH} $( ${files} )\nsync`;
}

/**
 * Runs as PID 1 after switch_root, with the host's /bin/sh. Not a chroot: a chrooted caller gets
 * EPERM from CLONE_NEWUSER (spec CLONE-05). Output goes through cat so nsconform sees no TTY.
 */
export function writeRunScript(plan: GuestPlan): string {
  const properties = quote(JSON.stringify(plan.properties));
  const env = `env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=${SCRATCH} TMPDIR=${SCRATCH} NSCONFORM_VM_PROPERTIES=${properties}`;
  const run = (who: string, prefix: string, args: readonly string[]): string =>
    `( cd ${quote(plan.projectDir)} && ${prefix}${env} node ${quote(plan.entry)} --junit ${SCRATCH}/${who}.junit.xml --json ${SCRATCH}/${who}.json --html ${SCRATCH}/${who}.html ${args.map(quote).join(' ')}; echo $? > ${SCRATCH}/${who}.status ) < /dev/null 2>&1 | cat`;
  return `#!/bin/sh
echo "${GUEST_UP}: $(uname -r)"
ok=1
${writeSysctls(plan.sysctls)}
cat /proc/sys/kernel/tainted > ${SCRATCH}/taint.before
# Only what the kernel logs from here on is the run's: boot messages stay on the console log.
dmesg -C 2>/dev/null
if [ $ok = 1 ]; then
echo "${PHASE} root run"
${run('root', '', plan.runArgs)}
echo "${PHASE} unprivileged runner"
${run('user', 'setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all ', plan.userRunArgs)}
fi
echo "${PHASE} collect"
cat /proc/sys/kernel/tainted > ${SCRATCH}/taint.after
dmesg > ${SCRATCH}/dmesg.run 2>&1
${collect(plan)}
echo "nsconform-vm: root run exit $(cat ${SCRATCH}/root.status 2>/dev/null), unprivileged runner exit $(cat ${SCRATCH}/user.status 2>/dev/null)"
echo o > /proc/sysrq-trigger
sleep 30
`;
}

function mountShare(plan: GuestPlan): string {
  const fail = (what: string): string => `{ echo "${SETUP_FAILED} ${what}"; poweroff -f; }`;
  if (plan.share === '9p') {
    return `mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose hostroot /host || ${fail('mounting the host tree over 9p')}
mount -t 9p -o trans=virtio,version=9p2000.L out ${quote(`/host${plan.outDir}`)} || ${fail('mounting the report share over 9p')}`;
  }
  // virtio-blk probes asynchronously: wait for the node before mounting.
  return `for i in $(seq 50); do [ -b /dev/vdb ] && break; sleep 0.2; done
mount -t ext4 -o ro,noload /dev/vda /host || ${fail('mounting the host tree from the ext4 disk /dev/vda')}`;
}

export function writeGuestInit(plan: GuestPlan): string {
  return `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for module in ${plan.modules.join(' ')}; do
  insmod /modules/$module || echo "nsconform-vm: insmod $module failed"
done
# The host's / read-only, as virtme-ng does; the guest gets its own /proc, /sys, /dev and /run on top.
${mountShare(plan)}
mount -t proc proc /host/proc
mount -t sysfs sysfs /host/sys
mount -t cgroup2 cgroup2 /host/sys/fs/cgroup 2>/dev/null
mount -t devtmpfs devtmpfs /host/dev
mount -t tmpfs tmpfs /host/run
mkdir -p /host${SCRATCH}
chmod 1777 /host${SCRATCH}
hostname nsconform-guest
cat > /host${SCRATCH}/guest.sh <<'NSCONFORM_GUEST'
${writeRunScript(plan)}NSCONFORM_GUEST
exec switch_root /host /bin/sh ${SCRATCH}/guest.sh
`;
}
