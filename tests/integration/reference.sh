#!/usr/bin/env bash
# hmt against its independent reference (bench/reference) on home-manager's
# whole suite: every test's verdict (ok, failed, eval-error, build-error)
# and tested tree (store path) must be the reference's. The reference reads
# the suite through home-manager's own tests/default.nix and shares no Nix
# file with hmt, so a bug in hmt's evaluation shows up here as a
# difference. First, the comparison itself must catch a changed verdict and
# a changed tree.
source "$(dirname "$0")/common.sh"
require_nix_path

home_manager=$(home_manager_path)
[ -f "$home_manager/tests/default.nix" ] || skip "this home-manager has no tests/default.nix"
reference=$source_root/bench/reference
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fresh_cache \"$work\"

set +e
"$hmt" --option substituters '' --no-default-cases --cases "$home_manager/tests" -j2 --format jsonl \
  >"$work/hmt.jsonl" 2>"$work/hmt.err"
status=$?
set -e
[ "$status" -le 1 ] || { tail -20 "$work/hmt.err"; fail "hmt exited $status"; }
"$reference/run.sh" --jobs 2 "$work/reference.tsv" -- --option substituters ''
[ -s "$work/reference.tsv" ] || fail "the reference gave no results"

# The comparison notices a verdict and a tree that differ, naming the tests.
first=$(awk -F '\t' '$2 == "ok" && $3 != "" { print $1; exit }' "$work/reference.tsv")
second=$(awk -F '\t' -v f="$first" '$2 == "ok" && $3 != "" && $1 != f { print $1; exit }' "$work/reference.tsv")
jq -c --arg f "$first" --arg s "$second" '
  if .event == "case_finished" and .case == $f then .status = "FAIL"
  elif .event == "case_finished" and .case == $s then .tested = "/nix/store/00000000000000000000000000000000-other"
  else . end' "$work/hmt.jsonl" >"$work/doctored.jsonl"
if "$reference/compare.sh" "$work/reference.tsv" "$work/doctored.jsonl" >"$work/doctored.out"; then
  fail "the comparison missed a changed verdict and a changed tree"
fi
grep -q "^verdict: $first: reference ok, hmt failed$" "$work/doctored.out" \
  && grep -q "^tested tree: $second: " "$work/doctored.out" \
  || { cat "$work/doctored.out"; fail "the comparison did not name the two doctored tests"; }

if ! "$reference/compare.sh" "$work/reference.tsv" "$work/hmt.jsonl" >"$work/compare.out"; then
  cat "$work/compare.out"
  fail "hmt differs from the reference"
fi
first_run=$(tail -1 "$work/compare.out")

# Again with nothing changed: every verdict comes from hmt's cache, nothing
# is evaluated, and verdicts and tested trees are still the reference's.
set +e
"$hmt" --option substituters '' --no-default-cases --cases "$home_manager/tests" -j2 --format jsonl \
  >"$work/again.jsonl" 2>"$work/again.err"
status=$?
set -e
[ "$status" -le 1 ] || { tail -20 "$work/again.err"; fail "hmt's second run exited $status"; }
# A verdict whose script ran (PASS, FAIL) is cached; a failed build is not
# (it may have failed for a reason outside its inputs) and runs again.
jq -r 'select(.event == "case_finished" and (.status == "PASS" or .status == "FAIL")) | .case' \
  "$work/hmt.jsonl" | sort >"$work/cacheable"
jq -r 'select(.event == "case_finished" and .cached == true) | .case' "$work/again.jsonl" | sort >"$work/cached"
[ -s "$work/cacheable" ] || fail "the first run had no verdict to cache"
uncached=$(comm -23 "$work/cacheable" "$work/cached" | head -5)
[ -z "$uncached" ] || fail "nothing changed, yet these ran again: $(echo $uncached)"
if ! "$reference/compare.sh" "$work/reference.tsv" "$work/again.jsonl" >"$work/again.out"; then
  cat "$work/again.out"
  fail "hmt's cached verdicts differ from the reference"
fi
echo "PASS: $first_run; again from the cache: $(jq -r 'select(.event == "run_finished") | "\(.cached) cached"' "$work/again.jsonl")"
