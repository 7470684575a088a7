#!/usr/bin/env bash
# home-manager's own test modules run under hmt unchanged: its
# tests/modules/systemd folder, straight from <home-manager>.
source "$(dirname "$0")/common.sh"
require_nix_path

folder="$(home_manager_path)/tests/modules/systemd"
[ -f "$folder/default.nix" ] || skip "this home-manager has no tests/modules/systemd"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cases=$("$hmt" --no-default-cases --cases "$folder" --list | wc -l)
[ "$cases" -gt 0 ] || fail "no cases listed in $folder"
"$hmt" --option substituters '' --no-default-cases --cases "$folder" --tap-version 14 >"$work/tap" 2>&1 \
  || { cat "$work/tap"; fail "upstream systemd tests failed under hmt"; }
[ "$(grep -c '^ok ' "$work/tap")" -eq "$cases" ] || { cat "$work/tap"; fail "expected $cases ok"; }
echo "PASS: $cases upstream home-manager systemd tests"
