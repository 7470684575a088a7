#!/usr/bin/env bash
# nixpkgs' compliance tests for hosts of modular services
# (pkgs.testers.modularServiceCompliance) with home.services as the host
# (modules/home-services/compliance.nix):
# - the eval-level tests pass, and fail where the host loses warnings;
# - the runtime tests (basic-argv, sub-services) run their services in a
#   systemd user manager of their own, as the unprivileged user hmt-test
#   (see common.sh), and check them; where no user manager can run here,
#   this test skips with the reason.
source "$(dirname "$0")/common.sh"
require_nix_path
[ -f "$(nix-instantiate --eval --expr 'toString <nixpkgs>' | tr -d '"')/pkgs/build-support/testers/modular-service-compliance.nix" ] \
  || skip "this nixpkgs has no testers.modularServiceCompliance"

work=$(mktemp -d)
cleanup() {
  remove_test_user
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/compliance.nix" <<NIX
{ loseWarnings ? false }:
let
  pkgs = import <nixpkgs> { };
  inherit (pkgs) lib;
  host = import $source_root/modules/home-services/compliance.nix {
    inherit pkgs;
    modulesPath = <home-manager/modules>;
  };
  # A host that drops every service's warnings, which the tests must notice.
  withoutWarnings = service:
    service // { warnings = [ ]; services = lib.mapAttrs (_: withoutWarnings) service.services; };
  evalConfig = arguments:
    let evaluated = host.evalConfig arguments; in
    if loseWarnings then evaluated // { config = lib.mapAttrs (_: withoutWarnings) evaluated.config; } else evaluated;
in
pkgs.testers.modularServiceCompliance {
  inherit evalConfig;
  inherit (host) mkTest sharedDir;
  namePrefix = "hmt-compliance";
}
NIX

failures() {
  nix-instantiate --eval --strict --json "$work/compliance.nix" "$@" -A eval.passthru.failures \
    | python3 -c 'import json,sys; print(" ".join(sorted(f["name"] for f in json.load(sys.stdin))))'
}
tests=$(nix-instantiate --eval --strict --json "$work/compliance.nix" -A eval.passthru.tests \
  | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$tests" -ge 7 ] || fail "expected at least 7 eval tests, got $tests"
[ -z "$(failures)" ] || fail "eval tests failed: $(failures)"
nix-build --option substituters '' --no-out-link "$work/compliance.nix" -A eval >/dev/null 2>"$work/eval.log" \
  || { cat "$work/eval.log"; fail "the eval report does not build"; }

lost=$(failures --arg loseWarnings true)
[ "$lost" = "testSubServiceWarnings testWarnings" ] || fail "a host without warnings should fail the warning tests, failed: '$lost'"
if nix-build --option substituters '' --no-out-link "$work/compliance.nix" -A eval --arg loseWarnings true >/dev/null 2>&1; then
  fail "the eval report of a failing host built"
fi
echo "PASS: $tests eval tests; a host that loses warnings fails testWarnings and testSubServiceWarnings"

skipped=()
if [ "$(id -u)" -eq 0 ]; then
  ensure_test_user
  export HMT_USER_MANAGER_USER=$test_user
fi
for test in basic-argv sub-services; do
  program=$(nix-build --option substituters '' --no-out-link "$work/compliance.nix" -A "$test" 2>"$work/$test.log") \
    || { cat "$work/$test.log"; fail "cannot build the $test test"; }
  set +e
  "$program" >"$work/$test.out" 2>&1
  status=$?
  set -e
  case $status in
    0) echo "PASS: runtime test $test"; sed 's/^/  /' "$work/$test.out" ;;
    77) skipped+=("$test: $(grep '^SKIP: ' "$work/$test.out" | head -1)") ;;
    *) cat "$work/$test.out"; fail "runtime test $test failed (exit status $status)" ;;
  esac
done
[ ${#skipped[@]} -eq 0 ] || skip "runtime tests skipped: ${skipped[*]}"
