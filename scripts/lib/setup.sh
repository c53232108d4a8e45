# Shared setup for scripts/run, scripts/test, scripts/bench-peers, scripts/fuzz.
# Installs only what is missing, from Debian's packages (and PyPI for Python tools).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ROOT

log() { printf '[fieldtrace] %s\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

APT_UPDATED=0
# ensure_apt PACKAGE...: installs the Debian packages that are not installed yet.
ensure_apt() {
    local missing=()
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    if [ "$APT_UPDATED" -eq 0 ]; then
        $SUDO apt-get update -qq >/dev/null
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_pip MODULE PACKAGE: installs a PyPI package when its module cannot be imported.
ensure_pip() {
    if ! python3 -c "import $1" >/dev/null 2>&1; then
        log "installing $2 from PyPI"
        python3 -m pip install -q "$2" >/dev/null 2>&1 || python3 -m pip install -q --break-system-packages "$2"
    fi
}

ensure_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        for dir in /opt/swift/usr/bin /opt/swift/bin; do
            [ -x "$dir/swift" ] && export PATH="$dir:$PATH"
        done
    fi
    command -v swift >/dev/null 2>&1 || { log "swift not found (expected a Swift 6.2+ toolchain on PATH)"; exit 1; }
}

# The packages every build needs.
ensure_build_deps() {
    ensure_swift
    ensure_apt pkg-config libsqlite3-dev liblz4-dev
}
