#!/usr/bin/env bash
# Every case in cases/ passes with hmt, and a case broken on purpose (a
# wrong expected ghostunnel flag) fails with expected and actual shown.
source "$(dirname "$0")/common.sh"
require_nix_path

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

expected_cases=$(nix-instantiate --eval --strict --json --expr "builtins.length (builtins.attrNames (import $source_root/cases))")

"$hmt" --option substituters '' --jobs 2 --junit "$work/report.xml" >"$work/tap" 2>"$work/err" \
  || { cat "$work/tap" "$work/err"; fail "hmt failed on cases/"; }
grep -q "^1\.\.$expected_cases\$" "$work/tap" || fail "plan is not 1..$expected_cases"
[ "$(grep -c '^ok ' "$work/tap")" -eq "$expected_cases" ] || { cat "$work/tap"; fail "not every case is ok"; }
grep -q '^not ok' "$work/tap" && fail "a case failed"
xmllint --noout "$work/report.xml" || fail "the JUnit report is not XML"

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
echo "PASS: $expected_cases cases ok; the broken ghostunnel case fails with expected and actual"
