#!/usr/bin/env bash
# Brings one box up, runs the suite in it (provision.sh) and copies its reports to ../reports/vagrant/<box>/.
set -euo pipefail
box="${1:?usage: vagrant/run-box.sh <fedora44|debian12|debian13|ubuntu2404|alma8|alma9> [provider] (make the box first: fedora-box.sh for fedora44, cloud-image-box.sh for the rest)}"
provider="${2:-libvirt}"
cd "$(dirname "$0")"
status=0
vagrant up "$box" --provider="$provider" --provision || status=$?
mkdir -p "../reports/vagrant"
vagrant ssh "$box" -c "sudo tar -C /nsconform-reports -cf - $box" | tar -C ../reports/vagrant -xf -
vagrant destroy -f "$box"
echo "reports: reports/vagrant/$box/"
exit "$status"
