#!/bin/sh
# The --html report of a real run with failures, opened in Debian's headless
# chromium: what the page shows once its script ran (counts, a failing
# case's diff lines with their add/remove classes), and the filter applied
# from the URL hash (#status=fail, #name=...). Exits 77 (SKIP) without
# chromium.
#
#   html_browser.sh HMT SOURCE_ROOT
set -eu

hmt=$1
fixtures=$2/tests/fixtures

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || skip "chromium is not installed (Debian: apt-get install chromium)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Two failing cases (failed assertions with a diff, an evaluation error)
# and two passing ones; hmt exits 1.
status=0
"$hmt" --no-default-cases --cases "$fixtures/cases" --evaluator "$fixtures/evaluator.nix" \
  --option substituters '' --jobs 2 --html "$work/report.html" \
  passing failing eval-error shell-fallback >"$work/run.tap" 2>"$work/run.err" || status=$?
[ "$status" -eq 1 ] || { cat "$work/run.err"; fail "hmt exited $status, not 1"; }

# The DOM after the page's script ran; the virtual time budget lets it run
# to the end before the dump.
dump() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$work/profile" --virtual-time-budget=5000 \
    --dump-dom "file://$work/report.html$1" 2>>"$work/chromium.log" >"$2" ||
    { tail -20 "$work/chromium.log"; fail "chromium could not open the report ($1)"; }
  [ -s "$2" ] || fail "chromium dumped nothing for $1"
}

has() { grep -qF -- "$2" "$1" || fail "$1 lacks: $2"; }
# The <details> line of each case whose attributes match $2.
cases_where() { grep -F '<details class="case"' "$1" | grep -F -- "$2" || true; }

dump "" "$work/all.html"
has "$work/all.html" '<span id="count-total">4</span>'
has "$work/all.html" '<span id="count-pass">2</span>'
has "$work/all.html" '<span id="count-fail">2</span>'
has "$work/all.html" '<span id="shown">4 of 4 cases shown</span>'
has "$work/all.html" '<span class="diff-del">-name = hmt</span>'
has "$work/all.html" '<span class="diff-add">+name = nmt</span>'
has "$work/all.html" 'this case is broken on purpose'
has "$work/all.html" '<dd class="tested">/nix/store/'
[ -z "$(cases_where "$work/all.html" 'hidden')" ] || fail "unfiltered, a case is hidden"

dump "#status=fail" "$work/failed.html"
has "$work/failed.html" '<span id="shown">2 of 4 cases shown</span>'
has "$work/failed.html" 'data-filter="fail"'
[ "$(cases_where "$work/failed.html" 'data-failed="true"' | grep -c hidden)" -eq 0 ] ||
  fail "#status=fail hides a failing case"
[ "$(cases_where "$work/failed.html" 'data-failed="false"' | grep -vc hidden)" -eq 0 ] ||
  fail "#status=fail shows a passing case"

dump "#name=fall" "$work/named.html"
has "$work/named.html" '<span id="shown">1 of 4 cases shown</span>'
[ "$(cases_where "$work/named.html" 'data-name="shell-fallback"' | grep -c hidden)" -eq 0 ] ||
  fail "#name=fall hides shell-fallback"

echo "ok: chromium shows the counts, the diff and the filtered cases"
