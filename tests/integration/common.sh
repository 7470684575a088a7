# Shared by the integration tests: they need <nixpkgs> and <home-manager>
# (the real ones, or the offline stand-in) and SKIP with the reason where
# those do not resolve. ctest treats exit 77 as SKIP.
set -euo pipefail

hmt=${HMT_BINARY:?HMT_BINARY must point at the hmt binary}
source_root=${HMT_SOURCE_ROOT:?HMT_SOURCE_ROOT must point at the source tree}

skip() {
  echo "SKIP: $*"
  exit 77
}

require_nix_path() {
  local entry
  command -v nix-instantiate >/dev/null || skip "nix-instantiate is not on PATH"
  for entry in nixpkgs home-manager; do
    nix-instantiate --eval --expr "<$entry>" >/dev/null 2>&1 \
      || skip "<$entry> does not resolve (no NIX_PATH/nix-path entry; see README.md, 'Offline stand-in')"
  done
}

home_manager_path() {
  nix-instantiate --eval --expr 'toString <home-manager>' | tr -d '"'
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
