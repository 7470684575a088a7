#!/usr/bin/env bash
# home-manager's own test folders of every loading shape, straight from
# <home-manager>, give home-manager's verdicts under hmt: each test's
# verdict equals the one of an nmt-style check (its nmt.script run by
# plain-bash assertions in a Nix build, bench/nmt-style) of the same test.
source "$(dirname "$0")/common.sh"
require_nix_path

tests=$(home_manager_path)/tests/modules
sources=("$tests/config/home-cursor" "$tests/misc/xdg/linux.nix" "$tests/programs/atuin" "$tests/programs/git")
for s in "${sources[@]}"; do [ -e "$s" ] || skip "this home-manager has no $s"; done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cases=()
for s in "${sources[@]}"; do cases+=(--cases "$s"); done

"$hmt" --option substituters '' --no-default-cases "${cases[@]}" --list >"$work/names"
[ "$(wc -l <"$work/names")" -gt 30 ] || fail "too few tests listed: $(wc -l <"$work/names")"
set +e
"$hmt" --option substituters '' --no-default-cases "${cases[@]}" -j2 >"$work/tap" 2>"$work/err"
status=$?
set -e
[ "$status" -le 1 ] || { cat "$work/tap" "$work/err"; fail "hmt exited $status"; }
grep -q '^Bail out!' "$work/tap" && fail "hmt bailed out"
sed -nE 's/^(not ok|ok) [0-9]+ - (.*)$/\2 \1/p' "$work/tap" | sort >"$work/hmt"
[ "$(wc -l <"$work/hmt")" -eq "$(wc -l <"$work/names")" ] || fail "not every listed test was reported"

spec=$(jq -nc --arg t "$tests" '{sources: [$t+"/config/home-cursor", $t+"/misc/xdg/linux.nix",
  $t+"/programs/atuin", $t+"/programs/git"], names: [inputs]}' -R <"$work/names")
checks="$source_root/bench/nmt-style/checks.nix"
nix-instantiate --eval --strict --json --read-write-mode --argstr spec "$spec" \
  -E "{ spec }: builtins.mapAttrs (_: check: { drv = check.drvPath; out = check.outPath; }) (import $checks { inherit spec; }).checks" \
  >"$work/checks.json"
nix-build --no-out-link --keep-going --option substituters '' -j2 $(jq -r '.[].drv' "$work/checks.json") \
  >/dev/null 2>"$work/nmt-style.err" || true
jq -r 'to_entries[] | "\(.key) \(.value.out)"' "$work/checks.json" | while read -r name out; do
  if [ -e "$out" ]; then echo "$name ok"; else echo "$name not ok"; fi
done | sort >"$work/nmt"

if ! diff "$work/nmt" "$work/hmt" >"$work/diff"; then
  cat "$work/diff"
  fail "hmt's verdicts differ from the nmt-style ones (< nmt-style, > hmt)"
fi
echo "PASS: $(grep -c ' ok$' "$work/hmt") ok and $(grep -c ' not ok$' "$work/hmt") not ok, as the nmt-style checks say"
