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
# The baselines' checks run each nmt.script with plain-bash nmt-style
# assertions (bench/nmt-style), so they also give an independent verdict;
# the tests whose verdicts differ from hmt's are listed.
#
# usage: bench/hm_suite_bench.sh [--jobs N] [--repeat R] [--cases PATH] [GLOB...]
#   PATH: a --cases source (default: <home-manager>/tests, the whole suite)
#   GLOB: case names to select (default: all)
# Prints wall time, CPU time, peak memory and time to first result of
# each (medians over R runs), and the ratios against hmt.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
hmt=${HMT_BINARY:-$root/build/hmt}
jobs=$(nproc) repeat=1 source=""
globs=()
while (($#)); do
  case $1 in
    --jobs) jobs=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --cases) source=$2; shift 2 ;;
    *) globs+=("$1"); shift ;;
  esac
done
for entry in nixpkgs home-manager; do
  nix-instantiate --eval --expr "<$entry>" >/dev/null 2>&1 || { echo "hm suite bench: SKIP, <$entry> does not resolve"; exit 0; }
done
[ -n "$source" ] || source="$(nix-instantiate --eval --expr 'toString <home-manager>' | tr -d '"')/tests"
nix_flags=(--option substituters '')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$hmt" "${nix_flags[@]}" --no-default-cases --cases "$source" --list "${globs[@]}" >"$work/names"
count=$(wc -l <"$work/names")
echo "selection: $count tests from $source, -j$jobs, $repeat run(s)"
checks="$root/bench/nmt-style/checks.nix"

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
  "$hmt" --option substituters '' --no-default-cases --cases "$source" -j"$jobs" "${globs[@]}" 2>/dev/null |
    while IFS= read -r line; do
      if [[ $line =~ ^(not\ )?ok\  ]]; then
        [ -s "$work/first" ] || now >"$work/first"
        printf '%s\n' "$line"
      fi
    done >"$work/hmt.tap"
}
export -f now
export work checks source hmt jobs
one_test() {
  local name=$1 status=ok
  nix-build "$checks" --argstr spec "$(jq -nc --arg s "$source" --arg n "$name" '{sources: [$s], names: [$n]}')" \
    -A all --no-out-link --option substituters '' >/dev/null 2>&1 || status="not ok"
  [ -s "$work/first" ] || now >"$work/first"
  printf '%s %s\n' "$status" "$name" >>"$work/per-test.verdicts"
}
export -f one_test
run_per_test() { : >"$work/per-test.verdicts"; xargs -a "$work/names" -d '\n' -P "$jobs" -I{} bash -c 'one_test "$1"' _ {}; }
run_one_build() {
  nix-build "$checks" --argstr spec "$(jq -nc --arg s "$source" '{sources: [$s], names: [inputs]}' -R <"$work/evaluable")" \
    -A all --no-out-link --keep-going -j"$jobs" --option substituters '' >/dev/null 2>&1 || true
}
export -f run_hmt run_per_test run_one_build

echo "warming the store (not measured)..."
mapfile -t warm_globs <"$work/globs"
"$hmt" --option substituters '' --no-default-cases --cases "$source" -j"$jobs" "${warm_globs[@]}" >"$work/warm.tap" 2>/dev/null || true
# One nix-build of everything stops at the first evaluation error: that
# baseline gets the tests that evaluate, as a CI chunk would have to.
awk '/^(not )?ok [0-9]+ - / { name = $0; sub(/^(not )?ok [0-9]+ - /, "", name); sub(/ # SKIP.*/, "", name); last = name; print name > "/dev/stderr"; next }
     /^  message: evaluating the case failed/ { print last }' "$work/warm.tap" 2>"$work/reported" >"$work/unevaluable"
grep -vxF -f "$work/unevaluable" "$work/names" >"$work/evaluable" || true
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

# Verdicts: hmt against the nmt-style checks of the per-test run.
sed -E 's/^(not ok|ok) [0-9]+ - (.*)$/\1 \2/' "$work/hmt.tap" | sed -E 's/ # SKIP.*//' | sort -k2 >"$work/hmt.verdicts"
sort -k2 "$work/per-test.verdicts" >"$work/nmt.verdicts"
differ=$(join -1 2 -2 2 <(awk '{ s = $1 == "ok" ? "ok" : "not-ok"; print s, $NF }' "$work/hmt.verdicts" | sort -k2) \
  <(awk '{ s = $1 == "ok" ? "ok" : "not-ok"; print s, $NF }' "$work/nmt.verdicts" | sort -k2) | awk '$2 != $3')
printf '\nverdicts: hmt %s ok, nmt-style %s ok; differing: %s\n' "$(grep -c '^ok ' "$work/hmt.verdicts" || true)" \
  "$(grep -c '^ok ' "$work/nmt.verdicts" || true)" "$(printf '%s' "$differ" | grep -c . || true)"
[ -z "$differ" ] || printf '  %s\n' "$differ" | head -50
