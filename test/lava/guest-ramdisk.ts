// The LAVA job's ramdisk, from the VM runner's pieces: a static busybox, the 9p modules, and an /init that gives LAVA a shell over the host's tree.
import { gzipSync } from 'node:zlib';
import { buildInitramfs } from '../../harness/vm/initramfs.ts';
import { AUTOLOADED } from '../../harness/cli/vm.ts';
import { ModuleTree } from '../../harness/vm/modules.ts';
import { SHARE_MODULES } from '../../harness/vm/share.ts';
import { GUEST_OUT } from './job.ts';

/** What LAVA waits for once the kernel is up (the job's boot prompts). */
export const GUEST_PROMPT = 'nsconform-lava# ';

/** Top-level host directories the guest gets fresh instead of the host's. */
const OWN_DIRS = ['proc', 'sys', 'dev', 'run', 'tmp'];

/**
 * The host's / comes in read-only over 9p, as with nsconform vm; the new root is a tmpfs holding a bind
 * mount of each host directory, so LAVA's /lava-<id> overlay (unpacked into this ramdisk by lava-run)
 * can sit beside them, writable. switch_root, not chroot: a chrooted caller gets EPERM from CLONE_NEWUSER.
 */
export function writeLavaInit(modules: readonly string[]): string {
  return `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for module in ${modules.join(' ')}; do insmod /modules/$module || echo "nsconform-lava: insmod $module failed"; done
mkdir -p /host /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose hostroot /host || echo "nsconform-lava: mounting the host tree over 9p failed"
mount -t tmpfs -o mode=0755 tmpfs /newroot
for path in /host/*; do
  name=\${path#/host/}
  case " ${OWN_DIRS.join(' ')} " in *" $name "*) continue ;; esac
  if [ -L "$path" ]; then ln -s "$(readlink "$path")" "/newroot/$name"
  elif [ -d "$path" ]; then mkdir "/newroot/$name" && mount --bind "$path" "/newroot/$name"
  fi
done
for name in ${OWN_DIRS.join(' ')}; do mkdir -p "/newroot/$name"; done
mount -t proc proc /newroot/proc
mount -t sysfs sysfs /newroot/sys
mount -t cgroup2 cgroup2 /newroot/sys/fs/cgroup 2>/dev/null
mount -t devtmpfs devtmpfs /newroot/dev
mount -t tmpfs -o mode=0755 tmpfs /newroot/run
mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp
mkdir -p /newroot/run/home /newroot${GUEST_OUT}
mount -t 9p -o trans=virtio,version=9p2000.L out /newroot${GUEST_OUT} || echo "nsconform-lava: mounting the report share failed"
cp -a /lava-* /newroot/ 2>/dev/null
umount /proc /sys
hostname nsconform-lava
cat > /newroot/run/shell.sh <<'NSCONFORM_SHELL'
#!/bin/sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/run/home TMPDIR=/tmp PS1='${GUEST_PROMPT}'
echo "nsconform-lava: guest up on $(uname -r)"
while :; do sh -i; done
NSCONFORM_SHELL
exec switch_root /newroot /bin/sh /run/shell.sh
`;
}

/** The gzipped newc cpio LAVA deploys as the ramdisk (format cpio.newc, compression gz). */
export function buildLavaRamdisk(busybox: string, modulesDir: string | null): Buffer {
  // What nsconform vm loads: the 9p share's modules, and those a host would autoload for the suite (veth, overlay).
  const modules = modulesDir ? new ModuleTree(modulesDir).resolve([...SHARE_MODULES['9p'], ...AUTOLOADED]) : [];
  const init = writeLavaInit(modules.map((module) => `${module.name}.ko`));
  return gzipSync(buildInitramfs(busybox, modules, init));
}
