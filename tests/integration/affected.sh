#!/usr/bin/env bash
# --affected on home-manager's own suite: a copy of <home-manager> made a
# git work tree, a first run that records the selected tests, then
#   - a change to one program's module selects that program's tests and no
#     other program's, and their verdicts stay as they were;
#   - a change to the shared core (modules/lib/) selects every test, and
#     says why;
#   - the tests of a program whose files did not change stay unselected
#     after the record is renewed.
# (bench/affected_history.sh checks the selection against the tested trees
# of home-manager's real commits.)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_nix_path

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
fresh_cache "$work"
cp -r "$(home_manager_path)" "$work/hm"
chmod -R u+w "$work/hm"
git -C "$work/hm" init -q
commit() {
  git -C "$work/hm" add -A
  git -C "$work/hm" -c user.name=hmt -c user.email=hmt@example.org commit -q -m "$1"
}
commit "as it was"
# In a git checkout home-manager reads its commit from .git
# (home.version.revision), which today's nixpkgs lib does with a builtin
# Nix 2.8 lacks: held at null, as outside git.
printf '{ lib, ... }:\n{\n  home.version.revision = lib.mkForce null;\n}\n' >"$work/no-revision.nix"
hmt_hm() {
  "$hmt" --option substituters '' --home-manager "$work/hm" --no-default-cases --cases "$work/hm/tests" \
    --module "$work/no-revision.nix" --jobs 2 "$@" 'atuin-*' 'git-*'
}

hmt_hm --affected HEAD >"$work/first.tap" 2>"$work/first.err" || true
grep -q 'hmt: --affected HEAD: .* (no case has a current record)' "$work/first.err" ||
  fail "the first run did not select every test: $(cat "$work/first.err")"
grep -q '^ok [0-9]* - atuin-' "$work/first.tap" || fail "no atuin test passed in the first run"

echo "# a comment, changed by hmt's integration test" >>"$work/hm/modules/programs/atuin.nix"
hmt_hm --affected HEAD --list >"$work/chosen" 2>"$work/chosen.err"
grep -q '^atuin-' "$work/chosen" || fail "a change to atuin.nix did not select atuin's tests: $(cat "$work/chosen.err")"
! grep -q '^git-' "$work/chosen" || fail "a change to atuin.nix selected git's tests: $(cat "$work/chosen")"
[ "$(grep -c '^atuin-' "$work/chosen")" -eq "$(hmt_hm --list | grep -c '^atuin-')" ] ||
  fail "not every atuin test was selected: $(cat "$work/chosen")"
hmt_hm --affected HEAD >"$work/second.tap" 2>&1 || true
verdicts() { sed -n 's/^\(not ok\|ok\) [0-9]* - \(atuin-.*\)/\2 \1/p' "$1" | sort; }
[ "$(verdicts "$work/second.tap")" = "$(verdicts "$work/first.tap")" ] ||
  fail "after a comment, atuin's verdicts changed: $(diff <(verdicts "$work/first.tap") <(verdicts "$work/second.tap"))"
commit "atuin: a comment"

echo "# a comment, changed by hmt's integration test" >>"$work/hm/modules/lib/default.nix"
hmt_hm --affected HEAD --list >"$work/core" 2>"$work/core.err"
grep -q 'modules/lib/default.nix is shared by every case' "$work/core.err" ||
  fail "a change to modules/lib/ did not select everything: $(cat "$work/core.err")"
[ "$(wc -l <"$work/core")" -eq "$(hmt_hm --list | wc -l)" ] || fail "the core change did not list every test"
git -C "$work/hm" checkout -q -- modules/lib/default.nix

# The record, renewed by the second run, is current for atuin again.
hmt_hm --affected HEAD~1 --list >"$work/history" 2>"$work/history.err"
grep -q '^atuin-' "$work/history" && ! grep -q '^git-' "$work/history" ||
  fail "the commit that changed atuin.nix did not select atuin's tests alone: $(cat "$work/history" "$work/history.err")"
echo "PASS: --affected on home-manager: $(grep -c '^atuin-' "$work/chosen") atuin tests of $(hmt_hm --list | wc -l) for atuin.nix, every test for modules/lib/"
