#!/usr/bin/env bash
# Brings one box up, runs the suite in it (provision.sh) and copies its reports to ../reports/vagrant/<box>/.
set -euo pipefail
box="${1:?usage: vagrant/run-box.sh <debian12|ubuntu2404|fedora42|alma8> [provider]}"
provider="${2:-libvirt}"
cd "$(dirname "$0")"
status=0
vagrant up "$box" --provider="$provider" --provision || status=$?
mkdir -p "../reports/vagrant"
vagrant ssh "$box" -c "sudo tar -C /nsconform-reports -cf - $box" | tar -C ../reports/vagrant -xf -
vagrant destroy -f "$box"
echo "reports: reports/vagrant/$box/"
exit "$status"
