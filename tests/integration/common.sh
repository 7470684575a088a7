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

# Each test starts with a verdict cache of its own, empty: verdicts of an
# earlier run (the user's, the last CI run's) must not stand in for this
# run's. DIR is the test's scratch folder.
fresh_cache() {
  export XDG_CACHE_HOME=$1/cache
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# The unprivileged user the runtime tests run their systemd user manager as
# (modules/home-services/user-manager-test.sh), HMT_TEST_USER or hmt-test.
# ensure_test_user makes it (root only) where it does not exist, and
# remove_test_user, for a test's exit trap, removes it again if this test
# made it; one that already existed (left by a run that was killed, say)
# is reused and left as it is (`userdel hmt-test` removes it).
test_user=${HMT_TEST_USER:-hmt-test}
test_user_made=""

ensure_test_user() {
  id -u "$test_user" >/dev/null 2>&1 && return 0
  command -v useradd >/dev/null || skip "useradd is not on PATH (Debian package passwd) to make the user $test_user"
  useradd --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
    --comment "hmt runtime tests" "$test_user" || fail "cannot make the user $test_user"
  test_user_made=1
}

remove_test_user() {
  if [ -n "$test_user_made" ]; then
    userdel "$test_user" || echo "NOTE: could not remove the user $test_user" >&2
    test_user_made=""
  fi
}
