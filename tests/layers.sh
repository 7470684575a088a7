#!/usr/bin/env bash
# The layers point one way: a folder is a layer, and a file may include only
# its own layer's headers and those of the layers below it (the same graph
# CMakeLists.txt links its targets by).
#
#   layers.sh ROOT        check the sources under ROOT; each violation is
#                         printed as FILE:LINE and the run fails
#   layers.sh --self-test show that a reporter including the Nix driver is
#                         caught, on a copy of a tiny tree
set -euo pipefail

# layer: the layers it may include (itself always).
declare -A allowed=(
  [process]=""
  [assertions]="process"
  [harness/report]="assertions process"
  [harness/nix]="assertions process"
  [harness/cache]="harness/nix assertions process"
  [harness/pipeline]="harness/cache harness/nix harness/report assertions process"
  [harness/cli]="harness/pipeline harness/cache harness/nix harness/report assertions process"
)

layer_of() {
  local path=$1 layer best=""
  for layer in "${!allowed[@]}"; do
    [[ $path == "$layer"/* ]] && [ ${#layer} -gt ${#best} ] && best=$layer
  done
  printf '%s' "$best"
}

check() {
  local root=$1 violations=0 file own number line target target_layer
  cd "$root"
  while IFS= read -r file; do
    own=$(layer_of "$file")
    [ -n "$own" ] || continue
    while IFS=: read -r number line; do
      target=${line#*\"}
      target=${target%%\"*}
      target_layer=$(layer_of "$target")
      [ -n "$target_layer" ] || continue  # a system or third-party header
      [ "$target_layer" = "$own" ] && continue
      if [[ " ${allowed[$own]} " != *" $target_layer "* ]]; then
        echo "$file:$number: $own may not include $target ($target_layer is not below it)"
        violations=$((violations + 1))
      fi
    done < <(grep -n '^#include "' "$file" || true)
  done < <(find process assertions harness -name '*.h' -o -name '*.cc' 2>/dev/null | sort)
  if [ "$violations" -gt 0 ]; then
    echo "FAIL: $violations include(s) against the layers"
    return 1
  fi
  echo "PASS: every include points down a layer or stays in its own"
}

if [ "${1:-}" = --self-test ]; then
  tree=$(mktemp -d)
  trap 'rm -rf "$tree"' EXIT
  mkdir -p "$tree/harness/report" "$tree/harness/nix"
  printf '#pragma once\n' >"$tree/harness/nix/nix_driver.h"
  printf '#include "harness/nix/nix_driver.h"\n' >"$tree/harness/report/tap_reporter.cc"
  if output=$(check "$tree"); then
    echo "FAIL: a reporter including the Nix driver was not caught: $output"
    exit 1
  fi
  grep -q 'harness/report/tap_reporter.cc:1: harness/report may not include harness/nix/nix_driver.h' <<<"$output" \
    || { echo "FAIL: the violation was not named: $output"; exit 1; }
  echo "PASS: a reporter including the Nix driver is caught and named"
  exit 0
fi

check "${1:?usage: layers.sh ROOT | --self-test}"
