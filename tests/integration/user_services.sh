#!/usr/bin/env bash
# home.services' units started for real by an unprivileged user's systemd
# (tests/integration/user_services.nix, run by
# modules/home-services/user-manager-test.sh as the user hmt-test, see
# common.sh): upstream's ghostunnel and php-fpm service modules, with
# stand-in programs, reach `active` with their credentials readable at
# $CREDENTIALS_DIRECTORY (php-fpm with Type=notify, its runtime and state
# directories, and WorkingDirectory= in /var/lib translated), then stop
# cleanly; upstream's ghostunnel unit as it is (systemOnlySettings =
# "keep") is refused at load (systemd >= 256) or fails at start. Where no
# user manager can run here, this test skips with the reason.
#
# First, on any machine: docs/home-services.md's table lists every
# directive home.services adapts (modules/home-services/system-only.nix).
source "$(dirname "$0")/common.sh"
require_nix_path

work=$(mktemp -d)
cleanup() {
  remove_test_user
  rm -rf "$work"
}
trap cleanup EXIT

keys=$(nix-instantiate --eval --strict --json \
  --expr "(import $source_root/modules/home-services/system-only.nix { lib = import <nixpkgs/lib>; }).keys" \
  | jq -r '.[]')
[ -n "$keys" ] || fail "system-only.nix lists no directives"
for key in $keys; do
  grep -q "^| \`$key=\`" "$source_root/docs/home-services.md" \
    || fail "docs/home-services.md's table of adapted directives lacks $key="
done
echo "PASS: docs/home-services.md lists the $(wc -w <<<"$keys") adapted directives"

[ "$(id -u)" -eq 0 ] || skip "needs root: the user manager runs as the user $test_user in namespaces of its own"

nix_build() {
  nix-build --option substituters '' --no-out-link "$(dirname "$0")/user_services.nix" -A "$1" 2>"$work/$1.log" \
    || { cat "$work/$1.log"; fail "cannot build user_services.nix's $1"; }
}
program=$(nix_build program)
setup=$(nix_build setup)

ensure_test_user
set +e
HMT_USER_MANAGER_USER=$test_user HMT_USER_MANAGER_SETUP=$setup "$program" >"$work/out" 2>&1
status=$?
set -e
case $status in
  0)
    grep -q '^ok: both stopped cleanly$' "$work/out" || { cat "$work/out"; fail "the checks did not finish"; }
    echo "PASS: services of an unprivileged user's systemd"
    sed 's/^/  /' "$work/out"
    ;;
  77) skip "$(sed -n 's/^SKIP: //p' "$work/out" | head -1)" ;;
  *)
    cat "$work/out"
    fail "the services did not run as expected under $test_user's systemd (exit status $status)"
    ;;
esac
