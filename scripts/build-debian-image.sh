#!/usr/bin/env bash
# Builds the Debian 12 test image for `nsconform vm --image` from Debian's packages: mmdebstrap, mkfs.ext4 -d, qemu-img.
#   scripts/build-debian-image.sh <output dir> [--without-tools]
# Writes two disks with the same ext4 root: <dir>/debian-12-nsconform-grub.qcow2, partitioned and booted by GRUB from
# its MBR, as official cloud images boot; and <dir>/debian-12-nsconform.qcow2, the bare file system, with <dir>/vmlinuz
# and <dir>/initrd.img (the image's own /boot) for qemu's direct kernel boot. <dir>/image.txt says what is inside.
# --without-tools leaves out gcc and node and adds what an official cloud image has for the guest to fetch them with
# (ifupdown and a DHCP client, which cloud-init configures, and curl): the guest installs both, as on a real image.
# Mounts nothing on the host: mmdebstrap's chroot mounts live in a private mount namespace of their own, GRUB is
# written into the disk file with dd (boot.img in the MBR, core.img in the gap before the partition).
set -euo pipefail
out="${1:?usage: scripts/build-debian-image.sh <output dir> [--without-tools]}"
case "${2:-}" in "" | --without-tools) ;; *) echo "build-debian-image: unknown option $2" >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { echo "build-debian-image: run as root (mmdebstrap's root mode)" >&2; exit 2; }
for tool in mmdebstrap mkfs.ext4 qemu-img unshare sfdisk grub-mkimage; do
  command -v "$tool" >/dev/null || { echo "build-debian-image: $tool not found (apt-get install mmdebstrap e2fsprogs qemu-utils util-linux fdisk grub-pc-bin)" >&2; exit 2; }
done
[ -f /usr/lib/grub/i386-pc/boot.img ] || { echo "build-debian-image: no /usr/lib/grub/i386-pc/boot.img (apt-get install grub-pc-bin)" >&2; exit 2; }
[ ! -e "$out" ] || { echo "build-debian-image: $out exists" >&2; exit 2; }

# Node ≥ 20.19 is not in bookworm (its nodejs is 18): the "preinstalled" case copies this machine's node, which runs
# the build and is ≥ 20.19 by package.json's engines; a cloud image without it gets Node in the guest instead.
node_bin="$(command -v node)"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || { echo "build-debian-image: $node_bin is $(node --version), not ≥ 20.19" >&2; exit 2; }

work="$(mktemp -d /var/tmp/nsconform-image.XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/root"
started=$(date +%s)

# What a Debian cloud image has that the suite uses: systemd, cloud-init, the distribution kernel, AppArmor (on by
# default in Debian's kernels since 10), a compiler for the observer, and the programs the suite's cases call.
packages=systemd-sysv,udev,cloud-init,linux-image-amd64,apparmor,gcc,libc6-dev,libstdc++6,util-linux,procps,iproute2,kmod,busybox-static,e2fsprogs,ca-certificates
node_hook="copy-in $node_bin /usr/local/bin"
node_note="$(node --version) copied from $node_bin (preinstalled)"
if [ "${2:-}" = --without-tools ]; then
  packages=${packages/gcc,libc6-dev,/curl,ifupdown,isc-dhcp-client,}
  node_hook=":"
  node_note="none (the guest installs it)"
fi
unshare --mount --propagation private -- mmdebstrap --mode=root --variant=apt --include="$packages" \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook="$node_hook" \
  --customize-hook='echo "LABEL=nsconform-root / ext4 defaults 0 1" > "$1/etc/fstab"' \
  --customize-hook='echo nsconform-debian > "$1/etc/hostname"' \
  --customize-hook='rm -f "$1/etc/machine-id"; touch "$1/etc/machine-id"' \
  --customize-hook='chroot "$1" systemctl mask getty@tty1.service serial-getty@ttyS0.service apt-daily.timer apt-daily-upgrade.timer e2scrub_reap.service' \
  bookworm "$root" http://deb.debian.org/debian >"$work/mmdebstrap.log" 2>&1 \
  || { tail -n 20 "$work/mmdebstrap.log" >&2; echo "build-debian-image: mmdebstrap failed" >&2; exit 1; }

mkdir -p "$work/out"
kernel=$(cd "$root/boot" && ls vmlinuz-* | sort -V | tail -n 1)
release=${kernel#vmlinuz-}
cp "$root/boot/$kernel" "$work/out/vmlinuz"
cp "$root/boot/initrd.img-$release" "$work/out/initrd.img"
# GRUB finds the root by its label, as the fstab does; the serial console is where nsconform reads the guest.
mkdir -p "$root/boot/grub"
cat > "$root/boot/grub/grub.cfg" <<EOF
set timeout=0
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
search --no-floppy --label nsconform-root --set root
linux /boot/vmlinuz-$release root=LABEL=nsconform-root rw console=tty0 console=ttyS0,115200
initrd /boot/initrd.img-$release
boot
EOF
bytes=$(( $(du -sk "$root" | cut -f1) * 1024 * 13 / 10 + 512 * 1024 * 1024 ))
bytes=$(( (bytes + 1048575) / 1048576 * 1048576 ))
mkfs.ext4 -q -F -L nsconform-root -d "$root" "$work/root.ext4" "$(( bytes / 1024 ))k"
qemu-img convert -f raw -O qcow2 "$work/root.ext4" "$work/out/debian-12-nsconform.qcow2"
# The partitioned disk: the file system at 1 MiB, GRUB's boot.img in the first 440 bytes (the partition table after
# it stays), core.img from sector 1 (its first sector's block list points at the rest, from sector 2).
truncate -s $(( bytes + 1048576 )) "$work/disk.raw"
echo 'start=2048, type=83, bootable' | sfdisk -q "$work/disk.raw"
dd if="$work/root.ext4" of="$work/disk.raw" bs=1M seek=1 conv=notrunc,sparse status=none
grub-mkimage -O i386-pc -o "$work/core.img" -p '(hd0,msdos1)/boot/grub' biosdisk part_msdos ext2 normal linux search search_label serial terminal echo configfile
dd if=/usr/lib/grub/i386-pc/boot.img of="$work/disk.raw" bs=440 count=1 conv=notrunc status=none
dd if="$work/core.img" of="$work/disk.raw" bs=512 seek=1 conv=notrunc status=none
qemu-img convert -f raw -O qcow2 "$work/disk.raw" "$work/out/debian-12-nsconform-grub.qcow2"
cat > "$work/out/image.txt" <<EOF
Debian 12 (bookworm) test image for nsconform vm --image, built by scripts/build-debian-image.sh on $(date -u +%Y-%m-%dT%H:%MZ)
from http://deb.debian.org/debian with mmdebstrap $(mmdebstrap --version | cut -d' ' -f2).
kernel: $release (linux-image-amd64); node: $node_note; packages: $packages
boot: debian-12-nsconform-grub.qcow2 by its own GRUB (MBR); debian-12-nsconform.qcow2 directly:
  --image-kernel vmlinuz --image-initrd initrd.img --append 'root=/dev/vda rw'
build seconds: $(( $(date +%s) - started ))
EOF
chmod -R go-w "$work/out"
# A fresh machine has no cache directory yet: its parents are made root-owned, writable by root alone.
(umask 022 && mkdir -p "$(dirname "$out")")
mv "$work/out" "$out"
cat "$out/image.txt"
