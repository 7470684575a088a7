#!/usr/bin/env bash
# What hmt's record takes from the module system
# (harness/nix/definition-files.nix), on a configuration the real
# lib.evalModules makes (tests/integration/definition_files.nix): which
# definitions count, what the loose record adds, and when a record is
# incomplete.
source "$(dirname "$0")/common.sh"
require_nix_path

expect() {  # PART JSON
  local got
  got=$(nix-instantiate --eval --strict --json "$source_root/tests/integration/definition_files.nix" \
    --argstr part "$1" 2>&1) || fail "part $1 did not evaluate: $got"
  [ "$got" = "$2" ] || fail "part $1: expected $2, got $got"
  echo "ok: $1"
}

# A namespace whose enable is false, an mkIf that holds back, an empty
# list and an assertion that holds do not count; declarations are modules.
expect precise '{"complete":true,"files":["enables-b","lists"],"modules":["declares"]}'
# An assertion whose condition throws: every assertion's file counts.
expect throws '{"complete":true,"files":["enables-b","holds","lists","throws"],"modules":["declares"]}'
# Without looking at values: every definition that takes effect.
expect loose '{"complete":true,"files":["empty","enables-b","holds","lists"]}'
# A definition that throws where the module system looks: incomplete.
expect conditionThrows '{"complete":false}'
# An error tryEval cannot catch, where only the precise record looks: the
# loose record is still made.
expect missing '{"complete":true,"files":["empty","enables-b","holds","lists","missing"]}'
