#!/usr/bin/env bash
# The inner loop on home-manager's suite (or part of it), all in one run on
# the same warm store, each figure the median of R runs:
#
#   no-cache     hmt --no-cache: every case evaluated, built and checked;
#                the baseline the others are measured against
#   cold         an empty verdict cache: the same work, plus writing the
#                verdicts and the record (what a first run costs)
#   unchanged    the same run again, nothing changed
#   last-failed  --last-failed after that run
#   one-module   a copy of the checkout with one program module changed
#                (a comment appended): what a plain run reruns
#   affected     the same change, `--affected HEAD` with the record of a
#                run before it: what the change can affect (the answer a
#                module author waits for)
#   watch        `--watch` on that copy: from appending another comment to
#                the module to the first test point of the rerun
#   shards       --shard K/4 balanced on the cold run's record, each part
#                run with that record and no verdicts: slowest / fastest
#
# usage: bench/inner_loop_bench.sh [--jobs N] [--repeat R] [--module FILE] [GLOB...]
#   FILE: the module to change, relative to the checkout (default
#   modules/programs/git.nix); GLOB: case names to select (default: all)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
hmt=${HMT_BINARY:-$root/build/hmt}
jobs=$(nproc) repeat=3 module=modules/programs/git.nix
globs=()
while (($#)); do
  case $1 in
    --jobs) jobs=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --module) module=$2; shift 2 ;;
    *) globs+=("$1"); shift ;;
  esac
done
for entry in nixpkgs home-manager; do
  nix-instantiate --eval --expr "<$entry>" >/dev/null 2>&1 || { echo "inner loop bench: SKIP, <$entry> does not resolve"; exit 0; }
done
home_manager=$(realpath "$(nix-instantiate --eval --expr 'toString <home-manager>' | tr -d '"')")
[ -f "$home_manager/$module" ] || { echo "inner loop bench: $home_manager/$module does not exist" >&2; exit 2; }

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
# The changed checkout: a copy, so that the user's stays as it is.
cp -r "$home_manager" "$work/changed-hm"
chmod -R u+w "$work/changed-hm"
# A git work tree (for --affected), and its record before the change.
git -C "$work/changed-hm" init -q
git -C "$work/changed-hm" add -A
git -C "$work/changed-hm" -c user.name=hmt -c user.email=hmt@example.org commit -q -m "as it was"

hmt_in() {  # hmt_in CACHE_HOME CHECKOUT ARGS...: one run, its JSON Lines kept
  local cache=$1 checkout=$2
  shift 2
  XDG_CACHE_HOME=$cache "$hmt" --option substituters '' --home-manager "$checkout" --no-default-cases \
    --cases "$checkout/tests" -j"$jobs" --format jsonl "$@" "${globs[@]}" >"$work/last.jsonl" 2>/dev/null || true
}
seconds() {  # seconds LOG COMMAND...: appends the command's wall time
  local log=$1 start
  shift
  start=$(date +%s.%N)
  "$@"
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f\n", e - s }' >>"$work/$log"
}
run_finished() { jq -r "select(.event == \"run_finished\") | $1" "$work/last.jsonl"; }

echo "selection: $(hmt_in "$work/list-cache" "$home_manager" --list && wc -l <"$work/last.jsonl") cases of $home_manager/tests, -j$jobs, $repeat run(s)"
echo "warming the store and recording definitions (not measured)..."
hmt_in "$work/warm-cache" "$home_manager" --no-cache
# Made where the runs read it ($XDG_CACHE_HOME is part of the run identity,
# see below), kept as affected-base.
hmt_in "$work/affected-run" "$work/changed-hm" --affected HEAD
cp -r "$work/affected-run" "$work/affected-base"
echo "# changed by hmt's inner loop bench" >>"$work/changed-hm/$module"
for ((i = 1; i <= repeat; i++)); do
  seconds no-cache hmt_in "$work/unused" "$home_manager" --no-cache
  cache=$work/cache-$i
  seconds cold hmt_in "$cache" "$home_manager"
  run_finished '"\(.passed) passed, \(.failed) failed"' >"$work/cold-counts"
  seconds unchanged hmt_in "$cache" "$home_manager"
  run_finished '.cached' >>"$work/unchanged-cached"
  seconds last-failed hmt_in "$cache" "$home_manager" --last-failed
  jq -r 'select(.event == "case_finished") | .case' "$work/last.jsonl" | wc -l >>"$work/last-failed-count"
  # A cache is copied to where it was made, or to one path each time:
  # $XDG_CACHE_HOME is part of the run identity (it can reach the trees),
  # so a cache read from another path is current for nothing.
  rm -rf "$work/changed-cache" "$work/affected-run"
  cp -r "$cache" "$work/changed-cache"
  seconds one-module hmt_in "$work/changed-cache" "$work/changed-hm"
  run_finished '.cached' >>"$work/one-module-cached"
  cp -r "$work/affected-base" "$work/affected-run"
  seconds affected hmt_in "$work/affected-run" "$work/changed-hm" --affected HEAD
  jq -r 'select(.event == "case_finished") | .case' "$work/last.jsonl" | wc -l >>"$work/affected-count"
done

# --watch: the time from a saved module to the first result, each time
# from the record of the run before the change.
first_result_after_save() {  # first_result_after_save CACHE: appends seconds
  local cache=$1 pid start
  XDG_CACHE_HOME=$cache "$hmt" --option substituters '' --home-manager "$work/changed-hm" --no-default-cases \
    --cases "$work/changed-hm/tests" -j"$jobs" --watch "${globs[@]}" >"$work/watch.out" 2>"$work/watch.err" &
  pid=$!
  until grep -q 'hmt: --watch: watching' "$work/watch.err"; do
    kill -0 "$pid" 2>/dev/null || { echo "watch: hmt ended before watching" >&2; return 1; }
    sleep 0.1
  done
  local before
  before=$(grep -c '^\(not \)\?ok ' "$work/watch.out" || true)
  start=$(date +%s.%N)
  echo "# saved again by hmt's inner loop bench" >>"$work/changed-hm/$module"
  until (($(grep -c '^\(not \)\?ok ' "$work/watch.out" || true) > before)); do
    # The selected cases may not depend on that module at all.
    grep -q 'no case is affected' "$work/watch.err" && break
    sleep 0.05
  done
  if grep -q 'no case is affected' "$work/watch.err"; then
    echo "watch: no selected case depends on $module; not measured" >&2
  else
    awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f\n", e - s }' >>"$work/watch"
  fi
  kill -INT "$pid"
  wait "$pid" || true
}
for ((i = 1; i <= repeat; i++)); do
  rm -rf "$work/affected-run"
  cp -r "$work/affected-base" "$work/affected-run"
  hmt_in "$work/affected-run" "$work/changed-hm" --affected HEAD  # the record, current for the changed copy
  first_result_after_save "$work/affected-run"
done

# Shards on the last cold run's record, without its verdicts: each part is
# evaluated, built and checked; the parts should take the same time.
for k in 1 2 3 4; do
  mkdir -p "$work/shard-$k/hmt"
  cp -r "$work/cache-$repeat/hmt/records" "$work/shard-$k/hmt/"
  seconds "part-$k" hmt_in "$work/shard-$k" "$home_manager" --shard "$k/4"
done

median() { sort -n "$work/$1" | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
base=$(median no-cache)
printf '\n%-12s %8s %10s  %s\n' run wall_s vs_no_cache note
printf '%-12s %8.1f %10s  %s\n' no-cache "$base" 1.00 "every case evaluated"
printf '%-12s %8.1f %10.2f  %s\n' cold "$(median cold)" "$(awk -v a="$(median cold)" -v b="$base" 'BEGIN { print a / b }')" \
  "$(cat "$work/cold-counts")"
for way in unchanged last-failed one-module affected; do
  case $way in
    unchanged) note="$(median unchanged-cached) cached (goal: under 3 s)" ;;
    last-failed) note="$(median last-failed-count) cases reported" ;;
    one-module) note="$(median one-module-cached) cached after changing $module" ;;
    affected) note="$(median affected-count) cases run by --affected HEAD (goal: under 10 s)" ;;
  esac
  printf '%-12s %8.1f %10.2f  %s\n' "$way" "$(median "$way")" \
    "$(awk -v a="$(median "$way")" -v b="$base" 'BEGIN { print a / b }')" "$note"
done
[ ! -s "$work/watch" ] ||
  printf '%-12s %8.1f %10s  %s\n' watch "$(median watch)" - "from a saved module to its first result (goal: under 3 s)"
cat "$work"/part-[1-4] | sort -n | awk '{ v[NR] = $1 } END {
  printf "shards 1..4  slowest %.1f s, fastest %.1f s: %.2fx (goal: within 1.2x)\n", v[NR], v[1], v[NR] / v[1] }'
