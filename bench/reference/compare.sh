#!/usr/bin/env bash
# Compares hmt's run of a suite with the reference's (./run.sh).
#
#   compare.sh REFERENCE.tsv HMT.jsonl
#
# HMT.jsonl is `hmt --format jsonl` over the same suite. A test differs
# when it is in one run only, when its verdict differs (ok, failed,
# eval-error, build-error), or when both built a tested tree and the trees'
# store paths differ. Prints one line per difference, then the counts;
# exits 1 when there is a difference.
set -euo pipefail
reference=${1:?usage: compare.sh REFERENCE.tsv HMT.jsonl}
hmt=${2:?usage: compare.sh REFERENCE.tsv HMT.jsonl}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jq -r 'select(.event == "case_finished")
  | [ .case,
      (if .status == "PASS" then "ok"
       elif (.reason // "" | startswith("evaluating the case")) then "eval-error"
       elif (.reason // "" | startswith("building the case")) then "build-error"
       elif .status == "SKIP" then "skipped"
       else "failed" end),
      (.tested // "") ] | @tsv' "$hmt" | sort -t $'\t' -k1,1 >"$work/hmt"

join -t $'\t' -a 1 -a 2 -e MISSING -o 0,1.2,1.3,2.2,2.3 "$reference" "$work/hmt" |
  awk -F '\t' '
    { total++ }
    $2 == "MISSING" { print "only in hmt: " $1; differ++; next }
    $4 == "MISSING" { print "only in the reference: " $1; differ++; next }
    $2 != $4 { print "verdict: " $1 ": reference " $2 ", hmt " $4; differ++; next }
    $3 != "" && $5 != "" && $3 != $5 { print "tested tree: " $1 ": reference " $3 ", hmt " $5; differ++; next }
    $3 != "" && $5 != "" { trees++ }
    { same++ }
    END {
      printf "compared %d tests: %d the same (%d with the same tested tree), %d different\n", total, same, trees, differ
      exit differ > 0
    }'
