#!/usr/bin/env bash
# Turns a distribution's official cloud image (the file nsconform vm --image boots) into a local libvirt box for the Vagrantfile.
#   vagrant/cloud-image-box.sh <box name> <cloud image file>
# Writes vagrant/boxes/<box name>.box: the image (qcow2), metadata.json, and a box Vagrantfile that attaches a
# NoCloud seed (cloud-init) creating the "vagrant" user with a key pair made here for this box alone (no shared
# insecure key). Downloads nothing: fetch the image yourself from the URL in README.md ("Distribution images") and
# check it against the vendor's checksum file first.
set -euo pipefail
name="${1:?usage: vagrant/cloud-image-box.sh <box name, e.g. debian12> <cloud image .qcow2/.img>}"
image="${2:?usage: vagrant/cloud-image-box.sh <box name> <cloud image .qcow2/.img>}"
case "$name" in *[!a-z0-9]*) echo "cloud-image-box: box names are lower-case letters and digits, not $name" >&2; exit 2 ;; esac
[ -f "$image" ] || { echo "cloud-image-box: $image is not a file" >&2; exit 2; }
for tool in qemu-img genisoimage ssh-keygen tar; do
  command -v "$tool" >/dev/null || { echo "cloud-image-box: $tool not found (apt-get install qemu-utils genisoimage openssh-client tar)" >&2; exit 2; }
done
here="$(cd "$(dirname "$0")" && pwd)"
boxes="${NSCONFORM_BOX_DIR:-$here/boxes}"
mkdir -p "$boxes"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

format=$(qemu-img info --output=json "$image" | sed -n 's/.*"format": *"\([a-z0-9]*\)".*/\1/p' | head -n 1)
[ "$format" = qcow2 ] || [ "$format" = raw ] || { echo "cloud-image-box: $image is $format, not qcow2 or raw" >&2; exit 2; }
# A box image stands alone (no backing file) and leaves room for a compiler, Node and the reports.
qemu-img convert -O qcow2 "$image" "$work/box.img"
qemu-img resize -q "$work/box.img" 16G
bytes=$(qemu-img info --output=json "$work/box.img" | sed -n 's/.*"virtual-size": *\([0-9]*\).*/\1/p' | head -n 1)
echo "{\"provider\": \"libvirt\", \"format\": \"qcow2\", \"virtual_size\": $(( bytes / 1024 / 1024 / 1024 ))}" > "$work/metadata.json"

ssh-keygen -q -t ed25519 -N '' -C "nsconform-$name" -f "$work/vagrant_key"
cat > "$work/user-data" <<EOF
#cloud-config
users:
  - name: vagrant
    sudo: "ALL=(ALL) NOPASSWD:ALL"
    shell: /bin/bash
    ssh_authorized_keys:
      - $(cat "$work/vagrant_key.pub")
EOF
printf 'instance-id: nsconform-%s\nlocal-hostname: nsconform-%s\n' "$name" "$name" > "$work/meta-data"
genisoimage -quiet -output "$work/seed.iso" -volid cidata -joliet -rock "$work/user-data" "$work/meta-data"

# The seed and key live beside the box in vagrant/boxes/<name>/ (a box's Vagrantfile cannot ship extra disks).
mkdir -p "$boxes/$name"
cp "$work/seed.iso" "$work/vagrant_key" "$boxes/$name/"
chmod 600 "$boxes/$name/vagrant_key"
cat > "$work/Vagrantfile" <<EOF
# Made by nsconform's vagrant/cloud-image-box.sh from $(basename "$image") on $(date -u +%Y-%m-%d).
Vagrant.configure("2") do |config|
  config.ssh.username = "vagrant"
  config.ssh.private_key_path = "$boxes/$name/vagrant_key"
  config.vm.provider :libvirt do |libvirt|
    libvirt.driver = "kvm"
    libvirt.storage :file, device: :cdrom, path: "$boxes/$name/seed.iso"
  end
end
EOF
tar -C "$work" -czf "$boxes/$name.box.partial" metadata.json Vagrantfile box.img
mv "$boxes/$name.box.partial" "$boxes/$name.box"
echo "cloud-image-box: $boxes/$name.box from $image; now: (cd vagrant && vagrant up $name --provider=libvirt)"
