#!/usr/bin/env bash
# Builds the Debian 12 test image for `nsconform vm --image` from Debian's packages: mmdebstrap, mkfs.ext4 -d, qemu-img.
#   scripts/build-debian-image.sh <output dir>
# Writes <dir>/debian-12-nsconform.qcow2 (an ext4 root without a partition table), <dir>/vmlinuz and <dir>/initrd.img (the image's own
# /boot, for qemu's direct kernel boot: the image has no bootloader) and <dir>/image.txt (what is inside, how to boot it).
# Mounts nothing on the host: mmdebstrap's chroot mounts live in a private mount namespace of their own.
set -euo pipefail
out="${1:?usage: scripts/build-debian-image.sh <output dir>}"
[ "$(id -u)" = 0 ] || { echo "build-debian-image: run as root (mmdebstrap's root mode)" >&2; exit 2; }
for tool in mmdebstrap mkfs.ext4 qemu-img unshare; do
  command -v "$tool" >/dev/null || { echo "build-debian-image: $tool not found (apt-get install mmdebstrap e2fsprogs qemu-utils util-linux)" >&2; exit 2; }
done
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
unshare --mount --propagation private -- mmdebstrap --mode=root --variant=apt --include="$packages" \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook="copy-in $node_bin /usr/local/bin" \
  --customize-hook='echo "/dev/vda / ext4 defaults 0 1" > "$1/etc/fstab"' \
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
bytes=$(( $(du -sk "$root" | cut -f1) * 1024 * 13 / 10 + 512 * 1024 * 1024 ))
mkfs.ext4 -q -F -L nsconform-root -d "$root" "$work/root.ext4" "$(( bytes / 1024 ))k"
qemu-img convert -f raw -O qcow2 "$work/root.ext4" "$work/out/debian-12-nsconform.qcow2"
cat > "$work/out/image.txt" <<EOF
Debian 12 (bookworm) test image for nsconform vm --image, built by scripts/build-debian-image.sh on $(date -u +%Y-%m-%dT%H:%MZ)
from http://deb.debian.org/debian with mmdebstrap $(mmdebstrap --version | cut -d' ' -f2).
kernel: $release (linux-image-amd64); node: $(node --version) copied from $node_bin (preinstalled); packages: $packages
boot: direct (no bootloader): --image-kernel vmlinuz --image-initrd initrd.img --append 'root=/dev/vda rw'
build seconds: $(( $(date +%s) - started ))
EOF
chmod -R go-w "$work/out"
mv "$work/out" "$out"
cat "$out/image.txt"
