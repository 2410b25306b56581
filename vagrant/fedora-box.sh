#!/usr/bin/env bash
# Fetches Fedora's own Vagrant box and places it as vagrant/boxes/fedora44.box only once Fedora's signed CHECKSUM vouches for it.
#   vagrant/fedora-box.sh [Fedora 44 key file]
# Order: the CHECKSUM file (clearsigned), its OpenPGP signature checked by gpgv against a keyring holding Fedora 44's
# primary key alone (pinned by fingerprint below), then the box, then its SHA-256 against the signed text only (never
# against lines outside the signature). Nothing lands in vagrant/boxes/ unless all of it holds.
# The key file defaults to Debian's distribution-gpg-keys package (Debian 13 and later: apt-get install
# distribution-gpg-keys); any copy of Fedora's key will do, since the fingerprint decides.
set -euo pipefail

# Fedora 44, compose 1.7 (the GA compose public sources name; Fedora 45's compose could not be checked from here).
# Not reachable from the build machine (2026-12-02): the directory follows Fedora's releases/<n>/Cloud/x86_64/images/
# layout and the file names its compose naming; unlike a URL in the Vagrantfile, a wrong one here fails loudly
# (curl exits non-zero) and a wrong file is refused by the signature and checksum, before Vagrant sees anything.
SITE="${NSCONFORM_FEDORA_SITE:-https://download.fedoraproject.org/pub/fedora/linux/releases/44/Cloud/x86_64/images}"
BOX=Fedora-Cloud-Base-Vagrant-libvirt-44-1.7.x86_64.vagrant.libvirt.box
CHECKSUM=Fedora-Cloud-44-1.7-x86_64-CHECKSUM
# Fedora 44's primary key ("Fedora (44) <fedora-44-primary@fedoraproject.org>", rsa4096, 2025-01-14): checked
# 2026-12-02 from Debian's distribution-gpg-keys 1.123+ds-1 (sid) and 1.119+ds-1~deb13u1 (trixie), whose
# RPM-GPG-KEY-fedora-44-primary files are identical. NSCONFORM_FEDORA_FINGERPRINT replaces it (the tests sign with a
# throw-away key).
FINGERPRINT="${NSCONFORM_FEDORA_FINGERPRINT:-36F612DCF27F7D1A48A835E4DBFCF71C6D9F90A6}"
key="${1:-/usr/share/distribution-gpg-keys/fedora/RPM-GPG-KEY-fedora-44-primary}"

fail() {
  echo "fedora-box: $*" >&2
  exit 1
}
for tool in curl gpg gpgv sha256sum; do
  command -v "$tool" >/dev/null || fail "$tool not found (apt-get install curl gpg gpgv coreutils)"
done
[ -r "$key" ] || fail "no key file at $key: apt-get install distribution-gpg-keys (Debian 13 or later), or pass Fedora 44's key file"
case "$FINGERPRINT" in *[!0-9A-F]* | "") fail "the pinned fingerprint '$FINGERPRINT' is not 40 upper-case hex digits" ;; esac
[ "${#FINGERPRINT}" -eq 40 ] || fail "the pinned fingerprint '$FINGERPRINT' is not 40 upper-case hex digits"

here="$(cd "$(dirname "$0")" && pwd)"
boxes="${NSCONFORM_BOX_DIR:-$here/boxes}"
mkdir -p "$boxes"
work="$(mktemp -d)"
trap 'rm -rf "$work" "$boxes/fedora44.box.partial"' EXIT
mkdir -m 700 "$work/gnupg"
gpg_here() { gpg --homedir "$work/gnupg" --batch --quiet --no-autostart "$@"; }

# The keyring gpgv trusts holds the pinned key and nothing else, so a file that carries other keys (or another key
# under Fedora's name) cannot widen what signs.
gpg_here --import "$key" 2>/dev/null || fail "$key holds no OpenPGP key gpg can read"
gpg_here --export "$FINGERPRINT" >"$work/fedora.gpg"
[ -s "$work/fedora.gpg" ] || fail "$key does not hold the pinned key $FINGERPRINT; refusing to trust it"

curl -fsSL --retry 3 -o "$work/CHECKSUM" "$SITE/$CHECKSUM" || fail "could not fetch $SITE/$CHECKSUM"
# The signed text is what gpgv writes out; lines an attacker adds around the signed block are not in it.
gpgv --keyring "$work/fedora.gpg" --status-fd 3 --output "$work/CHECKSUM.signed" "$work/CHECKSUM" \
  3>"$work/status" 2>"$work/gpgv.log" || fail "$CHECKSUM's signature does not verify with key $FINGERPRINT: $(tr '\n' ' ' <"$work/gpgv.log")"
# VALIDSIG's last field is the primary key's fingerprint (the signing subkey's is its first).
awk -v want="$FINGERPRINT" '$2 == "VALIDSIG" && $NF == want { found = 1 } END { exit !found }' "$work/status" ||
  fail "$CHECKSUM is not signed by $FINGERPRINT"

expected=$(sed -n "s/^SHA256 (${BOX//./\\.}) = \([0-9a-f]\{64\}\)\$/\1/p" "$work/CHECKSUM.signed")
[ "$(printf '%s' "$expected" | grep -c .)" -eq 1 ] || fail "the signed $CHECKSUM names no single SHA-256 for $BOX"

curl -fL --retry 3 -o "$boxes/fedora44.box.partial" "$SITE/$BOX" || fail "could not fetch $SITE/$BOX"
actual=$(sha256sum "$boxes/fedora44.box.partial" | cut -d' ' -f1)
[ "$actual" = "$expected" ] || fail "$BOX has SHA-256 $actual; Fedora's signed $CHECKSUM says $expected. Not placed"
mv "$boxes/fedora44.box.partial" "$boxes/fedora44.box"
echo "fedora-box: $boxes/fedora44.box is $BOX (SHA-256 $actual, signed by $FINGERPRINT); now: vagrant/run-box.sh fedora44"
