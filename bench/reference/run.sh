#!/usr/bin/env bash
# Runs the reference (./suite.nix) over a home-manager checkout's suite:
# one nix-build per test, as home-manager's own runner does, N at a time.
#
#   run.sh [--jobs N] [--home-manager PATH] [--names FILE] OUT [-- NIX_ARGS...]
#
# OUT gets one line per test: NAME TAB VERDICT TAB TESTED, where VERDICT is
# ok, failed (the script failed), eval-error (the test does not evaluate) or
# build-error (its tested tree or check did not build), and TESTED the
# tested tree's store path (empty without one). FILE limits the tests to
# the names it lists, one a line. Exits 0 once every test has its line.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jobs=$(nproc) home_manager="" names_file=""
while (($#)); do
  case $1 in
    --jobs) jobs=$2; shift 2 ;;
    --home-manager) home_manager=$2; shift 2 ;;
    --names) names_file=$2; shift 2 ;;
    --) shift; break ;;
    *) out=$1; shift ;;
  esac
done
: "${out:?usage: run.sh [--jobs N] [--home-manager PATH] [--names FILE] OUT [-- NIX_ARGS...]}"
nix_args=("$@")
suite_args=()
[ -z "$home_manager" ] || suite_args=(--arg homeManager "$(realpath "$home_manager")")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "$names_file" ]; then
  cp "$names_file" "$work/names"
else
  nix-instantiate --eval --json "$here/suite.nix" -A names "${suite_args[@]}" "${nix_args[@]}" | jq -r '.[]' >"$work/names"
fi

# One test: its line, written at once so that parallel lines do not mix.
one_test() {
  local name=$1 drv result verdict tested=""
  local eval_args build_args
  eval "eval_args=($eval_args_text) build_args=($build_args_text)"
  if ! drv=$(nix-instantiate "$here/suite.nix" -A "checks.\"${name//\"/\\\"}\"" "${eval_args[@]}" 2>/dev/null); then
    verdict=eval-error
  elif ! result=$(nix-build --no-out-link "$drv" "${build_args[@]}" 2>/dev/null); then
    verdict=build-error
  else
    tested=$(readlink "$result/tested")
    if [ "$(cat "$result/status")" = 0 ]; then verdict=ok; else verdict=failed; fi
  fi
  printf '%s\t%s\t%s\n' "$name" "$verdict" "$tested"
}
export -f one_test
export here
eval_args_text=$(printf '%q ' "${suite_args[@]}" "${nix_args[@]}")
build_args_text=$(printf '%q ' "${nix_args[@]}")
export eval_args_text build_args_text
xargs -a "$work/names" -d '\n' -P "$jobs" -I{} bash -c 'one_test "$1"' _ {} >"$work/lines"
sort -t $'\t' -k1,1 "$work/lines" >"$out"
