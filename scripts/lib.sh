# Shared by scripts/run and scripts/test: install what is missing (Debian
# packages), configure and build hmt. Sourced, not run.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${HMT_BUILD_DIR:-$root/build}

# Debian packages hmt needs to build, run and test.
hmt_packages=(
  cmake ninja-build g++ pkgconf
  libboost-dev libboost-program-options-dev libboost-filesystem-dev
  libfmt-dev nlohmann-json3-dev catch2
  nix-bin
  perl libxml2-utils
  systemd  # systemd-analyze, for assertUnitVerifies
)
# What only the tests use, added by scripts/test and scripts/test-sanitized:
# the completion tests drive zsh and fish, e2e:html-browser opens the HTML
# report in headless chromium.
hmt_test_packages=(zsh fish chromium)
# Node.js may come from elsewhere (e.g. NodeSource's nodejs bundles npm and
# conflicts with Debian's npm): only what is missing is installed.
command -v node >/dev/null || hmt_packages+=(nodejs)
command -v npm >/dev/null || hmt_packages+=(npm)

log() { printf '%s\n' "$*" >&2; }

ensure_packages() {
  local missing=() pkg
  for pkg in "${hmt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { log "error: need root (or sudo) to install: ${missing[*]}"; return 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

build_hmt() {
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$build_dir" -- -j"$(nproc)"
}
