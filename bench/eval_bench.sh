#!/usr/bin/env bash
# Sharded evaluation against one evaluation per case (the baseline: what a
# runner pays when every case imports nixpkgs and home-manager anew). Both
# evaluate the same cases with the same Nix glue in the same run; prints
# both times and their ratio. Needs <nixpkgs> and <home-manager>.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

for entry in nixpkgs home-manager; do
  nix-instantiate --eval --expr "<$entry>" >/dev/null 2>&1 || { echo "eval bench: SKIP, <$entry> does not resolve"; exit 0; }
done

names=$(nix-instantiate --eval --strict --json --expr "builtins.attrNames (import $root/cases)")
spec() { printf '{"evaluator":"%s","modules":["%s"],"caseDirs":["%s"],"names":%s}' \
  "$root/harness/nix/home-manager.nix" "$root/modules" "$root/cases" "$1"; }
evaluate() { nix-instantiate --eval --strict --json --read-write-mode "$root/harness/nix/driver.nix" -A shard --argstr spec "$(spec "$1")" >/dev/null; }
now() { date +%s.%N; }

start=$(now)
for name in $(echo "$names" | tr -d '[]"' | tr ',' ' '); do evaluate "[\"$name\"]"; done
per_case=$(awk -v a="$(now)" -v b="$start" 'BEGIN { print a - b }')

start=$(now)
evaluate "$names"
sharded=$(awk -v a="$(now)" -v b="$start" 'BEGIN { print a - b }')

count=$(echo "$names" | tr ',' '\n' | wc -l)
printf 'cases: %d\n' "$count"
printf 'baseline (one evaluation per case): %.3f s\n' "$per_case"
printf 'one shard for all cases:            %.3f s\n' "$sharded"
awk -v a="$per_case" -v b="$sharded" 'BEGIN { printf "speedup sharded vs per case: %.1fx\n", a / b }'
