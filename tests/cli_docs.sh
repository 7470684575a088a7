#!/bin/sh
# The man page and the shell completions against the real hmt:
#   man:         every option `hmt --help` shows is in the built hmt.1,
#                which man(1) renders without warnings;
#   completions: bash, zsh and fish parse their script (each shell that is
#                installed), and each offers an option (bash and zsh also a
#                value and a case name).
#
#   cli_docs.sh man|completions HMT SOURCE_ROOT MAN_PAGE
set -eu

mode=$1
hmt=$2
root=$3
man_page=$4

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

case $mode in
  man)
    [ -s "$man_page" ] || fail "$man_page was not built"
    "$hmt" --help >"$work/help"
    grep -oE -- '(^|[ ,])--?[A-Za-z][A-Za-z-]*' "$work/help" | sed 's/^[ ,]//' | sort -u >"$work/options"
    [ "$(wc -l <"$work/options")" -gt 20 ] || fail "found too few options in --help"
    while read -r option; do
      roff=$(printf '%s' "$option" | sed 's/-/\\-/g')
      grep -qF -- "\\fB$roff\\fR" "$man_page" || fail "--help shows $option, the man page does not"
    done <"$work/options"
    if command -v man >/dev/null 2>&1; then
      MANWIDTH=80 man --warnings -l "$man_page" >"$work/rendered" 2>"$work/warnings" || fail "man cannot render it"
      [ ! -s "$work/warnings" ] || { cat "$work/warnings"; fail "man warns about the page"; }
      grep -q -- "--shard K/N" "$work/rendered" || fail "the rendered page lacks --shard K/N"
    fi
    echo "ok: the man page has the $(wc -l <"$work/options") options of --help"
    ;;
  completions)
    bash -n "$root/completions/hmt.bash" || fail "bash cannot parse completions/hmt.bash"
    if command -v zsh >/dev/null 2>&1; then
      zsh -n "$root/completions/_hmt" || fail "zsh cannot parse completions/_hmt"
      # Driven for real on a pseudo-terminal: an option, a value, a case name.
      zsh_completes() {
        timeout 30 zsh -f "$root/tests/zsh_complete.zsh" "$root/completions" "$(dirname "$hmt")" "$1" "$2" ||
          fail "zsh did not complete '$1' to '$2'"
      }
      zsh_completes "hmt --sha" "hmt --shard"
      zsh_completes "hmt --format c" "--format console"
      zsh_completes "hmt --no-default-cases --cases $root/tests/fixtures/cases --evaluator $root/tests/fixtures/evaluator.nix fai" \
        "nix failing"
    else
      echo "note: zsh is not installed; completions/_hmt not parsed"
    fi
    if command -v fish >/dev/null 2>&1; then
      fish -n "$root/completions/hmt.fish" || fail "fish cannot parse completions/hmt.fish"
      # Loaded for real, it registers hmt's options with fish.
      PATH="$(dirname "$hmt"):$PATH" fish -c "source $root/completions/hmt.fish; complete -C 'hmt --sha'" \
        >"$work/fish" 2>&1 || { cat "$work/fish"; fail "fish cannot load completions/hmt.fish"; }
      grep -q -- '--shard' "$work/fish" || { cat "$work/fish"; fail "fish does not offer --shard"; }
    else
      echo "note: fish is not installed; completions/hmt.fish not parsed"
    fi
    fixtures=$root/tests/fixtures
    HMT=$hmt FIXTURES=$fixtures SCRIPT=$root/completions/hmt.bash bash -c '
      set -u
      source "$SCRIPT"
      complete_words() {
        COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
        _hmt
        printf "%s\n" "${COMPREPLY[@]}"
      }
      complete_words "$HMT" --sh
      echo ---
      complete_words "$HMT" --format c
      echo ---
      complete_words "$HMT" --no-default-cases --cases "$FIXTURES/cases" --evaluator "$FIXTURES/evaluator.nix" fai
      echo ---
      complete_words "$HMT" --option substituters ""
    ' >"$work/bash" 2>&1 || { cat "$work/bash"; fail "driving the bash completion failed"; }
    expected='--shard
---
console
---
failing
---
'
    [ "$(cat "$work/bash")" = "$(printf '%s' "$expected")" ] ||
      { printf 'got:\n%s\n' "$(cat "$work/bash")"; fail "bash completion offered something else"; }
    echo "ok: the completions parse; bash and zsh offer an option, a format and a case name"
    ;;
  *) fail "unknown mode $mode" ;;
esac
