# nmt's assertion vocabulary in plain bash, with nmt's meaning (written for
# hmt's reference, not taken from nmt): relative paths are inside $TESTED,
# tests follow links as bash's [[ -e ]], [[ -f ]] and [[ -d ]] do, a
# failed assertion prints why and exits the script with status 1.

_abs() {
  if [[ $1 == /* ]]; then printf '%s\n' "$1"; else printf '%s\n' "$TESTED/$1"; fi
}

fail() {
  printf '%s\n' "$1"
  exit 1
}

assertFileExists() { [[ -f $(_abs "$1") ]] || fail "no file at $1"; }
assertPathNotExists() { [[ ! -e $(_abs "$1") ]] || fail "$1 exists"; }
assertFileIsExecutable() { [[ -x $(_abs "$1") ]] || fail "$1 is not executable"; }
assertFileIsNotExecutable() { [[ ! -x $(_abs "$1") ]] || fail "$1 is executable"; }
assertFileContains() { grep -qF "$2" "$(_abs "$1")" || fail "$1 does not contain $2"; }
assertFileRegex() { grep -q "$2" "$(_abs "$1")" || fail "$1 does not match $2"; }
assertFileNotRegex() { ! grep -q "$2" "$(_abs "$1")" || fail "$1 matches $2"; }
assertLinkExists() { [[ -L $(_abs "$1") ]] || fail "no link at $1"; }
assertDirectoryExists() { [[ -d $(_abs "$1") ]] || fail "no folder at $1"; }

assertFileContent() {
  cmp -s "$(_abs "$1")" "$2" ||
    fail "$1 differs from $2:
$(diff -du --label actual --label expected "$(_abs "$1")" "$2")"
}

assertLinkPointsTo() {
  assertLinkExists "$1"
  local target
  target=$(readlink "$(_abs "$1")")
  [[ $target == "$2" ]] || fail "$1 points to $target, not $2"
}

assertDirectoryEmpty() {
  assertDirectoryExists "$1"
  [[ -z $(find "$(_abs "$1")" -mindepth 1 -maxdepth 1) ]] || fail "$1 is not empty"
}

assertDirectoryNotEmpty() {
  assertDirectoryExists "$1"
  [[ -n $(find "$(_abs "$1")" -mindepth 1 -maxdepth 1) ]] || fail "$1 is empty"
}

# A copy of the file in $out/normalized whose store paths have their hash,
# and the version after their name, zeroed; prints the copy's path.
normalizeStorePaths() {
  local input copy
  input=$(_abs "$1")
  mkdir -p "$out/normalized"
  copy=$out/normalized/${input##*/}
  sed -E "s!$NIX_STORE/[a-z0-9]{32}((-[a-zA-Z][a-zA-Z0-9+._?=]*)*)(-[a-zA-Z0-9+._?=-]*)?!/nix/store/00000000000000000000000000000000\1!g" \
    <"$input" >"$copy"
  printf '%s\n' "$copy"
}
