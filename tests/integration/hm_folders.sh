#!/usr/bin/env bash
# home-manager's own test folders of every loading shape, straight from
# <home-manager>, give home-manager's verdicts and trees under hmt: each
# test is compared with its run by hmt's independent reference
# (bench/reference), which reads it through home-manager's tests/default.nix.
source "$(dirname "$0")/common.sh"
require_nix_path

home_manager=$(home_manager_path)
tests=$home_manager/tests/modules
sources=("$tests/config/home-cursor" "$tests/misc/xdg/linux.nix" "$tests/programs/atuin" "$tests/programs/git")
for s in "${sources[@]}"; do [ -e "$s" ] || skip "this home-manager has no $s"; done
[ -f "$home_manager/tests/default.nix" ] || skip "this home-manager has no tests/default.nix"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fresh_cache \"$work\"
cases=()
for s in "${sources[@]}"; do cases+=(--cases "$s"); done

"$hmt" --option substituters '' --no-default-cases "${cases[@]}" --list >"$work/names"
[ "$(wc -l <"$work/names")" -gt 30 ] || fail "too few tests listed: $(wc -l <"$work/names")"
set +e
"$hmt" --option substituters '' --no-default-cases "${cases[@]}" -j2 --format jsonl >"$work/hmt.jsonl" 2>"$work/err"
status=$?
set -e
[ "$status" -le 1 ] || { cat "$work/err"; fail "hmt exited $status"; }
[ "$(jq -r 'select(.event == "case_finished") | .case' "$work/hmt.jsonl" | wc -l)" -eq "$(wc -l <"$work/names")" ] \
  || fail "not every listed test was reported"

"$source_root/bench/reference/run.sh" --jobs 2 --names "$work/names" "$work/reference.tsv" -- --option substituters ''
if ! "$source_root/bench/reference/compare.sh" "$work/reference.tsv" "$work/hmt.jsonl" >"$work/compare.out"; then
  cat "$work/compare.out"
  fail "hmt differs from the reference on home-manager's folders"
fi
echo "PASS: $(tail -1 "$work/compare.out")"
