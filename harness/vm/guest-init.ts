// The guest's /init: mount the host's tree read-only over 9p, run nsconform as root and unprivileged, power off.

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

function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Lines the host watches for on the console: boot finished, and each run's exit status. */
export const GUEST_UP = 'nsconform-vm: guest up';

export function writeGuestInit(plan: GuestPlan): string {
  const out = quote(plan.outDir);
  const args = plan.runArgs.map(quote).join(' ');
  const nsconform = `cd ${quote(plan.projectDir)} && exec env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp TERM=dumb node bin/nsconform.js`;
  return `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for module in ${plan.modules.join(' ')}; do
  insmod /modules/$module || echo "nsconform-vm: insmod $module failed"
done
# The host's / read-only, as virtme-ng does; the guest gets its own /proc, /sys, /dev, /tmp and /run on top.
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 hostroot /host || echo "nsconform-vm: mounting the host tree failed"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 out /host${out} || echo "nsconform-vm: mounting the report share failed"
mount -t proc proc /host/proc
mount -t sysfs sysfs /host/sys
mount -t devtmpfs devtmpfs /host/dev
mount -t tmpfs tmpfs /host/tmp
mount -t tmpfs tmpfs /host/run
mount -t cgroup2 cgroup2 /host/sys/fs/cgroup 2>/dev/null
hostname nsconform-guest
echo "${GUEST_UP}: $(uname -r)"
chroot /host /bin/sh -c ${quote(`${nsconform} --junit /tmp/root.junit.xml --json /tmp/root.json ${args}`)}
echo $? > /host${out}/root.status
cp /host/tmp/root.junit.xml /host/tmp/root.json /host${out}/ 2>/dev/null
chroot /host /usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all /bin/sh -c ${quote(`${nsconform} --junit /tmp/user.junit.xml --json /tmp/user.json ${args}`)}
echo $? > /host${out}/user.status
cp /host/tmp/user.junit.xml /host/tmp/user.json /host${out}/ 2>/dev/null
echo "nsconform-vm: root run exit $(cat /host${out}/root.status), unprivileged run exit $(cat /host${out}/user.status)"
sync
umount /host${out}
poweroff -f
`;
}
