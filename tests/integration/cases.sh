#!/usr/bin/env bash
# Every case in cases/ passes with hmt, systemd-analyze accepting each of
# their units (assertUnitVerifies ran, not skipped); a case broken on
# purpose (a wrong expected ghostunnel flag) fails with expected and actual
# shown, and a unit systemd rejects fails with systemd's complaints.
source "$(dirname "$0")/common.sh"
require_nix_path

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fresh_cache \"$work\"

expected_cases=$(nix-instantiate --eval --strict --json --expr "builtins.length (builtins.attrNames (import $source_root/cases))")

"$hmt" --option substituters '' --jobs 2 --tap-version 14 --junit "$work/report.xml" >"$work/tap" 2>"$work/err" \
  || { cat "$work/tap" "$work/err"; fail "hmt failed on cases/"; }
grep -q "^1\.\.$expected_cases\$" "$work/tap" || fail "plan is not 1..$expected_cases"
[ "$(grep -c '^ok ' "$work/tap")" -eq "$expected_cases" ] || { cat "$work/tap"; fail "not every case is ok"; }
grep -q '^not ok' "$work/tap" && fail "a case failed"
xmllint --noout "$work/report.xml" || fail "the JUnit report is not XML"

verifies=$(cat "$source_root"/cases/*.nix | grep -c '^ *assertUnitVerifies ')
[ "$verifies" -gt 0 ] || fail "no case calls assertUnitVerifies"
if command -v systemd-analyze >/dev/null; then
  verified=$(grep -E '^ +ok [0-9]+ - assertUnitVerifies ' "$work/tap" | grep -vc '# SKIP' || true)
  [ "$verified" -eq "$verifies" ] || { grep assertUnitVerifies "$work/tap"; fail "$verified of $verifies assertUnitVerifies passed unskipped"; }
else
  echo "NOTE: systemd-analyze is not installed; assertUnitVerifies skipped (Debian package systemd)"
  verified=0
fi

# A unit systemd rejects: each complaint, with its line in the unit.
if [ "$verified" -gt 0 ]; then
  set +e
  "$hmt" --option substituters '' --no-default-cases --cases "$(dirname "$0")/rejected" >"$work/rejected" 2>&1
  status=$?
  set -e
  [ "$status" -eq 1 ] || { cat "$work/rejected"; fail "the rejected unit should exit 1, got $status"; }
  grep -q '^not ok 1 - rejectedUnit' "$work/rejected" || { cat "$work/rejected"; fail "rejectedUnit is not reported as failing"; }
  # systemd 252 says "Failed to parse service restart specifier, ignoring:
  # sometimes", 257 "Failed to parse Restart=sometimes, ignoring: ...".
  for complaint in "line 7: Failed to parse .*sometimes" \
    "line 9: Unknown key 'RestartSecs' in section \[Service\]" \
    "Command /nix/store/0*-missing/bin/reload is not executable"; do
    grep -q "$complaint" "$work/rejected" || { cat "$work/rejected"; fail "systemd's complaint not reported: $complaint"; }
  done
fi

# The same cases with one expectation broken.
cp -r "$source_root/cases" "$work/cases"
sed -i 's/--listen 127.0.0.1:8443/--listen 127.0.0.1:9443/' "$work/cases/ghostunnel.nix"
grep -q '127.0.0.1:9443' "$work/cases/ghostunnel.nix" || fail "could not break the ghostunnel case"
set +e
"$hmt" --option substituters '' --no-default-cases --cases "$work/cases" ghostunnel >"$work/broken" 2>&1
status=$?
set -e
[ "$status" -eq 1 ] || { cat "$work/broken"; fail "a broken case should exit 1, got $status"; }
grep -q '^not ok 1 - ghostunnel' "$work/broken" || fail "ghostunnel is not reported as failing"
# The YAML diagnostics carry both sides of the mismatch.
grep -A3 'expected:' "$work/broken" | grep -q '127.0.0.1:9443' || { cat "$work/broken"; fail "expected value not shown"; }
grep -A12 'actual:' "$work/broken" | grep -q '127.0.0.1:8443' || { cat "$work/broken"; fail "actual value not shown"; }
echo "PASS: $expected_cases cases ok ($verified units verified by systemd); the broken ghostunnel case fails with expected and actual; the rejected unit fails with systemd's complaints"
