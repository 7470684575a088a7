#!/usr/bin/env bash
# Is `hmt --affected` right on home-manager's real history? For the N most
# recent first-parent commits that touch modules/ or tests/ (and every
# commit between them, so that each has its parent's record), in one
# checkout moved from the oldest to the newest:
#
#   truth      the tests whose tested tree (its store path, so its drvPath)
#              differs between the commit and its parent, or that are new;
#              from a full run at each revision, in a fresh cache
#   selection  what `hmt --affected PARENT` picks at the commit, with the
#              record of the full run at the parent
#   recall     how much of the truth the selection holds (the goal: 100%
#              on every commit); size: the selection as a part of the suite
#              (the goal: at most 10% on the median commit)
#   run_s      the wall time of running that selection (`hmt --affected
#              PARENT`), when it is not every case (the goal: under 10 s)
#
# The trees come from hmt's evaluation; integration:reference shows that
# they are the trees of home-manager's own runner, test for test. One
# module is added to every test: it holds home.version.revision at null.
# In a git checkout home-manager reads its commit from .git into every
# generation's hm-version file, so without it every tree would differ at
# every commit (and Nix before 2.14 cannot read it with today's lib).
#
# usage: bench/affected_history.sh [--jobs N] [--commits N] [--repo GIT_DIR] [--until REV] [GLOB...]
#   GIT_DIR: a clone of home-manager with its history (default: $HMT_HM_GIT,
#   else the git dir of <home-manager>); REV: the newest commit (default:
#   that of <home-manager> when it says, else GIT_DIR's HEAD); GLOB: tests
#   to select (default: all). Each revision costs one full run.
#   HMT_KEEP_WORK=1 keeps the work folder (its runs' output) for a look.
set -euo pipefail
export LC_ALL=C  # one collation for sort, join and comm
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
hmt=${HMT_BINARY:-$root/build/hmt}
jobs=$(nproc) commits=20 repo=${HMT_HM_GIT:-} until=""
globs=()
while (($#)); do
  case $1 in
    --jobs) jobs=$2; shift 2 ;;
    --commits) commits=$2; shift 2 ;;
    --repo) repo=$2; shift 2 ;;
    --until) until=$2; shift 2 ;;
    *) globs+=("$1"); shift ;;
  esac
done
skip() { echo "affected history: SKIP, $1"; exit 0; }
nix-instantiate --eval --expr '<nixpkgs>' >/dev/null 2>&1 || skip "<nixpkgs> does not resolve"
if [ -z "$repo" ]; then
  hm=$(nix-instantiate --eval --expr 'toString <home-manager>' 2>/dev/null | tr -d '"') || true
  [ -n "$hm" ] && repo=$(git -C "$hm" rev-parse --absolute-git-dir 2>/dev/null) || true
fi
[ -n "$repo" ] && git --git-dir="$repo" rev-parse -q --verify HEAD >/dev/null 2>&1 ||
  skip "no home-manager history: give --repo GIT_DIR or HMT_HM_GIT (a clone with its history)"
until=${until:-$(git --git-dir="$repo" rev-parse HEAD)}

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
[ -z "${HMT_KEEP_WORK:-}" ] || trap - EXIT

# The revisions: back from REV along first parents until N commits touch
# modules/ or tests/, then the parent of the oldest; oldest first.
revisions=() touching=()
for rev in $(git --git-dir="$repo" rev-list --first-parent "$until"); do
  if ((${#touching[@]} == commits)); then revisions=("$rev" "${revisions[@]}") && break; fi
  if [ -n "$(git --git-dir="$repo" diff --name-only "$rev^" "$rev" -- modules tests 2>/dev/null)" ]; then
    touching+=("$rev")
  fi
  # From the newest commit that touches them.
  ((${#touching[@]} == 0)) || revisions=("$rev" "${revisions[@]}")
done
((${#touching[@]} == commits)) || skip "only ${#touching[@]} commits touch modules/ or tests/ before $until"
is_touching() { local t; for t in "${touching[@]}"; do [ "$t" != "$1" ] || return 0; done; return 1; }

git clone -q --shared --no-checkout "$repo" "$work/hm"
printf '{ lib, ... }:\n{\n  home.version.revision = lib.mkForce null;\n}\n' >"$work/no-revision.nix"
# One cache folder for every run: XDG_CACHE_HOME reaches the trees of tests
# that turn xdg off (home-manager's xdg module reads it), so it must not
# differ between revisions.
hmt_at() {  # hmt_at ARGS...: hmt on the checkout, stdout kept in $work/out
  XDG_CACHE_HOME=$work/cache "$hmt" --option substituters '' --home-manager "$work/hm" --no-default-cases \
    --cases "$work/hm/tests" --module "$work/no-revision.nix" -j"$jobs" "$@" "${globs[@]}" \
    >"$work/out" 2>"$work/err" || true
}
# NAME TAB TREE (the tested tree's path, or the verdict when there is none).
trees_of_run() {
  jq -r 'select(.event == "case_finished") | "\(.case)\t\(.tested // .status)"' "$work/out" | sort
}

echo "home-manager history: ${#touching[@]} commits touching modules/ or tests/, ${#revisions[@]} revisions" \
  "($(git --git-dir="$repo" log -1 --format=%h "${revisions[0]}")..$(git --git-dir="$repo" log -1 --format=%h "${revisions[-1]}")), -j$jobs"
printf '%-10s %5s %6s %6s %6s %7s %7s %6s  %s\n' commit files suite truth chosen size recall run_s subject
prev=""
for rev in "${revisions[@]}"; do
  git -C "$work/hm" checkout -q --detach "$rev"
  if [ -n "$prev" ] && is_touching "$rev"; then
    hmt_at --affected "$prev" --list
    sort "$work/out" >"$work/chosen"
    everything=$(grep '^hmt: --affected' "$work/err" | grep -o '(.*)$' || true)
    run_s=-
    if [ -z "$everything" ]; then
      start=$(date +%s.%N)
      hmt_at --affected "$prev" --format jsonl
      run_s=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    fi
  fi
  # The full run: a fresh cache, so every test is evaluated and recorded.
  rm -rf "$work/cache"
  hmt_at --affected "$rev" --format jsonl
  trees_of_run >"$work/trees-$rev"
  # The stand-in builds about 80% of the suite: a revision where most tests
  # do not evaluate is no ground truth.
  errors=$(awk -F '\t' '$2 == "ERROR"' "$work/trees-$rev" | wc -l)
  if ((errors * 2 > $(wc -l <"$work/trees-$rev"))); then
    echo "affected history: $errors of $(wc -l <"$work/trees-$rev") tests do not evaluate at $rev:" >&2
    head -c 2000 "$work/out" >&2
    exit 2
  fi
  if [ -n "$prev" ] && is_touching "$rev"; then
    # New tests and changed trees; a removed test cannot be chosen.
    join -t $'\t' -a 1 "$work/trees-$rev" "$work/trees-$prev" |
      awk -F '\t' 'NF < 3 || $2 != $3 { print $1 }' >"$work/truth"
    suite=$(wc -l <"$work/trees-$rev")
    truth=$(wc -l <"$work/truth")
    chosen=$(wc -l <"$work/chosen")
    missed=$(comm -23 "$work/truth" "$work/chosen" | wc -l)
    recall=$(awk -v t="$truth" -v m="$missed" 'BEGIN { printf "%.1f%%", t ? 100 * (t - m) / t : 100 }')
    size=$(awk -v c="$chosen" -v s="$suite" 'BEGIN { printf "%.1f%%", 100 * c / s }')
    files=$(git --git-dir="$repo" diff --name-only "$prev" "$rev" | wc -l)
    printf '%-10s %5s %6s %6s %6s %7s %7s %6s  %s\n' "${rev:0:9}" "$files" "$suite" "$truth" "$chosen" "$size" \
      "$recall" "$run_s" "$(git --git-dir="$repo" log -1 --format=%s "$rev" | cut -c1-50)${everything:+ $everything}"
    printf '%s\n' "$size" >>"$work/sizes"
    printf '%s\n' "$recall" >>"$work/recalls"
    [ "$run_s" = - ] || printf '%s\n' "$run_s" >>"$work/run-times"
    comm -23 "$work/truth" "$work/chosen" | sed "s/^/  missed at ${rev:0:9}: /"
  fi
  prev=$rev
done

median() { tr -d % <"$work/$1" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
echo
echo "recall: lowest $(tr -d % <"$work/recalls" | sort -n | head -1)% over ${#touching[@]} commits (goal: 100%)"
echo "selection: median $(median sizes)% of the suite (goal: at most 10%)"
[ ! -s "$work/run-times" ] ||
  echo "running the selection: median $(median run-times) s over $(wc -l <"$work/run-times") commits that did not select everything (goal: under 10 s)"
