// The guest's /init: mount the host's tree read-only over 9p, switch_root into it, run nsconform as root and unprivileged, power off.

export interface GuestPlan {
  /** Module file names under /modules, in load order. */
  readonly modules: readonly string[];
  /** The project directory, the same path on host and guest. */
  readonly projectDir: string;
  /** Where the reports go: a writable 9p share mounted at this same path in the guest. */
  readonly outDir: string;
  /** Extra arguments for each nsconform run (--only, --timeout, …). */
  readonly runArgs: readonly string[];
}

/** Printed on the console when the guest is up; the host measures boot time by it. */
export const GUEST_UP = 'nsconform-vm: guest up';

/**
 * The guest's writable scratch space (TMPDIR, HOME, reports before they are copied out), on a tmpfs
 * over /run. Not over /tmp: the checkout itself may live under the host's /tmp, as CI's clone does.
 */
const SCRATCH = '/run/nsconform';

function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs as PID 1 after switch_root, with the host's /bin/sh. Not a chroot: a chrooted caller gets
 * EPERM from CLONE_NEWUSER (spec CLONE-05). Output goes through cat so nsconform sees no TTY.
 */
function writeRunScript(plan: GuestPlan): string {
  const out = quote(plan.outDir);
  const args = plan.runArgs.map(quote).join(' ');
  const env = `env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=${SCRATCH} TMPDIR=${SCRATCH}`;
  const run = (who: string, prefix: string): string =>
    `( cd ${quote(plan.projectDir)} && ${prefix}${env} node bin/nsconform.js --junit ${SCRATCH}/${who}.junit.xml --json ${SCRATCH}/${who}.json ${args}; echo $? > ${SCRATCH}/${who}.status ) < /dev/null 2>&1 | cat`;
  return `#!/bin/sh
echo "${GUEST_UP}: $(uname -r)"
${run('root', '')}
${run('user', 'setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all ')}
cp ${['root', 'user'].flatMap((who) => ['junit.xml', 'json', 'status'].map((ext) => `${SCRATCH}/${who}.${ext}`)).join(' ')} ${out}/
echo "nsconform-vm: root run exit $(cat ${SCRATCH}/root.status), unprivileged run exit $(cat ${SCRATCH}/user.status)"
sync
umount ${out}
echo o > /proc/sysrq-trigger
sleep 30
`;
}

export function writeGuestInit(plan: GuestPlan): string {
  const out = plan.outDir;
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
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose hostroot /host || echo "nsconform-vm: mounting the host tree failed"
mount -t 9p -o trans=virtio,version=9p2000.L out ${quote(`/host${out}`)} || echo "nsconform-vm: mounting the report share failed"
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
