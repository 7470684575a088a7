#!/usr/bin/env bash
# The flake, offline: its inputs are replaced by the nixpkgs and
# home-manager stand-in (see README.md). `nix flake check` builds hmt and
# runs every case as a check; a case broken on purpose fails its check with
# the failing assertions in the build log; `nix run` starts hmt.
source "$(dirname "$0")/common.sh"

nixpkgs=${HMT_FLAKE_NIXPKGS:-/var/lib/hmt-offline/nixpkgs}
home_manager=${HMT_FLAKE_HOME_MANAGER:-/var/lib/hmt-offline/home-manager}
[ -f "$nixpkgs/flake.nix" ] || skip "no offline nixpkgs flake at $nixpkgs (set HMT_FLAKE_NIXPKGS, or assemble the stand-in)"
[ -f "$home_manager/flake.nix" ] || skip "no home-manager flake at $home_manager (set HMT_FLAKE_HOME_MANAGER)"
command -v nix >/dev/null || skip "the nix command is not on PATH"

# flake_nix SUBCOMMAND ARGS...: the overrides go before ARGS, which may
# end in `-- program arguments`.
flake_nix() {
  local subcommand=$1
  shift
  nix --extra-experimental-features 'nix-command flakes' $subcommand \
    --override-input nixpkgs "path:$nixpkgs" --override-input home-manager "path:$home_manager" \
    --option substituters '' --no-write-lock-file "$@"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The flake as committed (plus uncommitted changes), without build trees.
copy_source() {
  mkdir -p "$1"
  if git -C "$source_root" rev-parse --git-dir >/dev/null 2>&1; then
    git -C "$source_root" ls-files -z -co --exclude-standard | (cd "$source_root" && xargs -0 cp -P --parents -t "$1")
  else
    (cd "$source_root" && tar --exclude=./build --exclude=./tests/node_modules -cf - .) | tar -C "$1" -xf -
  fi
}
copy_source "$work/flake"

system=$(nix-instantiate --eval --expr builtins.currentSystem | tr -d '"')
(cd "$work/flake" && flake_nix "flake show" --json) >"$work/show.json" 2>"$work/show.err" \
  || { cat "$work/show.err"; fail "nix flake show failed"; }
cases=$(nix-instantiate --eval --expr "builtins.concatStringsSep \" \" (builtins.attrNames (import $source_root/cases))" | tr -d '"')
for case in $cases; do
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if sys.argv[3] in d["checks"][sys.argv[2]] else 1)' \
    "$work/show.json" "$system" "$case" || fail "case $case is not among checks.$system"
done

(cd "$work/flake" && flake_nix "flake check" -L) >"$work/check.log" 2>&1 \
  || { tail -60 "$work/check.log"; fail "nix flake check failed"; }
# A check's output is its TAP report (the log is silent when it was cached).
(cd "$work/flake" && flake_nix build --no-link --json ".#checks.$system.ghostunnel") >"$work/built.json" 2>/dev/null \
  || fail "cannot build checks.$system.ghostunnel"
report=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["outputs"]["out"])' "$work/built.json")
grep -q '^ok 1 - ghostunnel' "$report" || { cat "$report"; fail "the ghostunnel check's report is not ok"; }

(cd "$work/flake" && flake_nix run . -- --version) >"$work/run.out" 2>/dev/null || fail "nix run failed"
grep -q '^hmt ' "$work/run.out" || fail "nix run did not start hmt"

copy_source "$work/broken"
sed -i 's/--listen 127.0.0.1:8443/--listen 127.0.0.1:9443/' "$work/broken/cases/ghostunnel.nix"
if (cd "$work/broken" && flake_nix build --no-link -L ".#checks.$system.ghostunnel") >"$work/broken.log" 2>&1; then
  fail "the broken ghostunnel check built"
fi
grep -q 'not ok 1 - ghostunnel' "$work/broken.log" || { tail -40 "$work/broken.log"; fail "no failing test point in the log"; }
grep -q '127.0.0.1:9443' "$work/broken.log" || fail "the failing assertion is not in the log"
echo "PASS: flake check, every case a check, nix run, and a broken case fails its check"
