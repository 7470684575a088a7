# nmt-style assertions in plain bash, written for hmt's benchmark: the
# baselines run each case's nmt.script with these instead of hmt's native
# ones, in a Nix build, the way nmt does. They also give an independent
# verdict to compare hmt's with. Relative paths are inside $TESTED.
# Sourced by check.bash; every function fails the build on a failure.

_abs() {
  case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$TESTED/$1" ;;
  esac
}

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}

assertFileExists() { [[ -f $(_abs "$1") ]] || fail "expected file '$1' to exist"; }
assertPathNotExists() { [[ ! -e $(_abs "$1") && ! -L $(_abs "$1") ]] || fail "expected '$1' not to exist"; }
assertFileIsExecutable() { [[ -x $(_abs "$1") ]] || fail "expected '$1' to be executable"; }
assertFileIsNotExecutable() { [[ ! -x $(_abs "$1") ]] || fail "expected '$1' not to be executable"; }
assertFileContains() { grep -qF -- "$2" "$(_abs "$1")" || fail "expected '$1' to contain '$2'"; }
assertFileRegex() { grep -q -- "$2" "$(_abs "$1")" || fail "expected '$1' to match '$2'"; }
assertFileNotRegex() { ! grep -q -- "$2" "$(_abs "$1")" || fail "expected '$1' not to match '$2'"; }
assertLinkExists() { [[ -L $(_abs "$1") ]] || fail "expected '$1' to be a link"; }
assertLinkPointsTo() { [[ $(readlink "$(_abs "$1")") == "$2" ]] || fail "expected '$1' to point to '$2'"; }
assertDirectoryExists() { [[ -d $(_abs "$1") ]] || fail "expected directory '$1'"; }
assertDirectoryEmpty() { [[ -z $(ls -A "$(_abs "$1")") ]] || fail "expected '$1' to be empty"; }
assertDirectoryNotEmpty() { [[ -n $(ls -A "$(_abs "$1")") ]] || fail "expected '$1' not to be empty"; }

assertFileContent() {
  local actual
  actual=$(_abs "$1")
  [[ -f $actual ]] || fail "expected file '$1' to exist"
  diff -u "$actual" "$2" >&2 || fail "expected '$1' to have the content of '$2'"
}

# A copy of the file with the store hashes and versions of its store paths
# zeroed, as nmt's normalizeStorePaths gives.
normalizeStorePaths() {
  local source copy
  source=$(_abs "$1")
  copy=$PWD/normalized/$(basename "$1")
  mkdir -p "$PWD/normalized"
  sed -E 's#/nix/store/[a-z0-9]{32}((-[a-zA-Z][a-zA-Z0-9+._?=]*)*)(-[a-zA-Z0-9+._?=-]*)?#/nix/store/00000000000000000000000000000000\1#g' \
    "$source" >"$copy"
  printf '%s\n' "$copy"
}
