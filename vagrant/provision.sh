#!/usr/bin/env bash
# Runs inside a box: installs Node and a compiler, runs nsconform as root and unprivileged, keeps the reports.
set -euo pipefail
box="$1"
NODE_MAJOR=20

install_packages() {
  if command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq gcc make ca-certificates curl util-linux
    # Debian's own nodejs is 18 on bookworm: too old. NodeSource ships the Node 20 line.
    if ! node --version 2>/dev/null | grep -q "^v$NODE_MAJOR\."; then
      curl -fsSL "https://deb.nodesource.com/setup_${NODE_MAJOR}.x" | bash -
      apt-get install -y -qq nodejs
    fi
  else
    dnf install -y -q gcc make util-linux
    dnf module reset -y -q nodejs || true
    dnf module enable -y -q "nodejs:$NODE_MAJOR" || true
    dnf install -y -q nodejs npm
  fi
}

install_packages
node --version
id nsconform >/dev/null 2>&1 || useradd --create-home nsconform

work=/home/nsconform/nsconform
rm -rf "$work"
cp -a /nsconform "$work"
chown -R nsconform: "$work"
cd "$work"
runuser -u nsconform -- npm install --no-audit --no-fund

out="/nsconform-reports/$box"
mkdir -p "$out"
status=0
node bin/nsconform.js --junit "$out/root.junit.xml" --json "$out/root.json" || status=$?
runuser -u nsconform -- node bin/nsconform.js --junit "$work/reports/user.junit.xml" --json "$work/reports/user.json" || status=$?
cp "$work/reports/user.junit.xml" "$work/reports/user.json" "$out/"
echo "nsconform on $box ($(uname -r)): exit $status; reports in $out (vagrant ssh $box -c 'sudo tar -C /nsconform-reports -c .' | tar -C ../reports/vagrant -x)"
exit "$status"
