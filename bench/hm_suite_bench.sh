#!/usr/bin/env bash
# home-manager's test suite (or part of it) run three ways on the same warm
# store, in one run, with the same assertions semantics:
#
#   hmt        hmt -jN over the selection;
#   per-test   one nix-build per test, N at a time, each evaluating nixpkgs
#              and home-manager anew, as home-manager's tests/tests.py does;
#   one-build  one nix-build of every test's check derivation at -jN, as
#              home-manager's CI does with its chunks.
#
# The baselines are hmt's independent reference (bench/reference): each
# test evaluated through home-manager's own tests/default.nix, its script
# run by plain-bash assertions of nmt's meaning in a Nix build, sharing no
# Nix file with hmt. The per-test run's verdicts and tested trees are
# compared with hmt's, and every test that differs is listed.
#
# usage: bench/hm_suite_bench.sh [--jobs N] [--repeat R] [--home-manager PATH] [GLOB...]
#   PATH: a home-manager checkout (default: <home-manager>); its tests/ suite
#   GLOB: case names to select (default: all)
# Prints wall time, CPU time, peak memory and time to first result of
# each (medians over R runs), and the ratios against hmt.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
hmt=${HMT_BINARY:-$root/build/hmt}
jobs=$(nproc) repeat=1 home_manager=""
globs=()
while (($#)); do
  case $1 in
    --jobs) jobs=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --home-manager) home_manager=$2; shift 2 ;;
    *) globs+=("$1"); shift ;;
  esac
done
for entry in nixpkgs home-manager; do
  nix-instantiate --eval --expr "<$entry>" >/dev/null 2>&1 || { echo "hm suite bench: SKIP, <$entry> does not resolve"; exit 0; }
done
[ -n "$home_manager" ] || home_manager=$(nix-instantiate --eval --expr 'toString <home-manager>' | tr -d '"')
home_manager=$(realpath "$home_manager")
source=$home_manager/tests
nix_flags=(--option substituters '')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$hmt" "${nix_flags[@]}" --home-manager "$home_manager" --no-default-cases --cases "$source" --list "${globs[@]}" >"$work/names"
count=$(wc -l <"$work/names")
echo "selection: $count tests from $source, -j$jobs, $repeat run(s)"
reference="$root/bench/reference"

now() { date +%s.%N; }
# Runs a command under GNU time; appends "wall user+sys maxrss_kb first_result" to $1.
measure() {
  local log=$1 start
  shift
  start=$(now)
  : >"$work/first"
  # Functions run in a child bash, so that time sees their whole tree.
  /usr/bin/time -o "$work/time" -f '%e %U %S %M' bash -c "$1" || true
  local first
  first=$(head -1 "$work/first" 2>/dev/null || true)
  read -r wall user sys rss < <(tail -1 "$work/time")
  awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v f="${first:-}" -v t0="$start" \
    'BEGIN { printf "%.2f %.2f %d %.2f\n", w, u + s, r, (f == "" ? w : f - t0) }' >>"$log"
}

# One glob a line; none (the whole selection) is an empty file.
: >"$work/globs"
[ ${#globs[@]} -eq 0 ] || printf '%s\n' "${globs[@]}" >"$work/globs"
run_hmt() {
  local globs=()
  mapfile -t globs <"$work/globs"
  "$hmt" --option substituters '' --home-manager "$home_manager" --no-default-cases --cases "$source" -j"$jobs" \
    --format jsonl "${globs[@]}" 2>/dev/null |
    while IFS= read -r line; do
      if [[ $line == *'"event":"case_finished"'* ]]; then
        [ -s "$work/first" ] || now >"$work/first"
      fi
      printf '%s\n' "$line"
    done >"$work/hmt.jsonl"
}
export -f now
export work reference source hmt jobs home_manager
run_per_test() {
  "$reference/run.sh" --jobs "$jobs" --home-manager "$home_manager" --names "$work/names" "$work/reference.tsv" \
    -- --option substituters ''
}
run_one_build() {
  jq -R . <"$work/evaluable" | jq -s . >"$work/evaluable.json"
  nix-build --no-out-link --keep-going -j"$jobs" --option substituters '' --arg names "$work/evaluable.json" -E \
    "{ names }: let suite = import $reference/suite.nix { homeManager = $home_manager; }; in map (name: suite.checks.\${name}) (builtins.fromJSON (builtins.readFile names))" \
    >/dev/null 2>&1 || true
}
export -f run_hmt run_per_test run_one_build

echo "warming the store (not measured)..."
mapfile -t warm_globs <"$work/globs"
"$hmt" --option substituters '' --home-manager "$home_manager" --no-default-cases --cases "$source" -j"$jobs" \
  --format jsonl "${warm_globs[@]}" \
  >"$work/warm.jsonl" 2>/dev/null || true
# One nix-build of everything stops at the first evaluation error: that
# baseline gets the tests that evaluate, as a CI chunk would have to.
jq -r 'select(.event == "case_finished" and ((.reason // "") | startswith("evaluating the case") | not)) | .case' \
  "$work/warm.jsonl" | sort >"$work/evaluable"
echo "one-build baseline: $(wc -l <"$work/evaluable") of $count tests evaluate"
run_one_build
for ((i = 1; i <= repeat; i++)); do
  measure "$work/hmt.log" run_hmt
  measure "$work/per-test.log" run_per_test
  measure "$work/one-build.log" run_one_build
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
column_median() { awk -v c="$2" '{ print $c }' "$work/$1.log" | median; }
# CPU per test shows where time goes: what the per-test baseline pays above
# hmt is each process's start (importing nixpkgs, loading the suite).
tests_of() { if [ "$1" = one-build ]; then wc -l <"$work/evaluable"; else echo "$count"; fi; }
printf '\n%-10s %10s %10s %12s %14s %12s\n' way wall_s cpu_s peak_mem_MB first_result_s cpu_ms_test
for way in hmt per-test one-build; do
  cpu=$(column_median "$way" 2)
  printf '%-10s %10.1f %10.1f %12.0f %14.1f %12.0f\n' "$way" "$(column_median "$way" 1)" "$cpu" \
    "$(awk '{ print $1 / 1024 }' <<<"$(column_median "$way" 3)")" "$(column_median "$way" 4)" \
    "$(awk -v c="$cpu" -v n="$(tests_of "$way")" 'BEGIN { print n ? 1000 * c / n : 0 }')"
done
hmt_wall=$(column_median hmt 1)
awk -v h="$hmt_wall" -v p="$(column_median per-test 1)" -v o="$(column_median one-build 1)" \
  -v f="$(column_median hmt 4)" 'BEGIN {
    printf "\nper-test / hmt: %.2fx faster (goal: >= 6x)\n", p / h
    printf "hmt / one-build: %.2f of its time (goal: <= 0.6)\n", h / o
    printf "hmt first result: %.1f%% of its total (goal: <= 10%%)\n", 100 * f / h }'

# Verdicts and tested trees: hmt against the reference's per-test run.
echo
"$reference/compare.sh" "$work/reference.tsv" "$work/hmt.jsonl" | tail -50 || true
