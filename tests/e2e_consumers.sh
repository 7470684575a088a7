#!/bin/sh
# A real hmt run with failures (the fixtures: real nix-build, no nixpkgs)
# read by the TAP consumers CI systems use: prove for TAP 13, tap-parser
# --strict for TAP 14. Exits 77 (SKIP) when a consumer is not installed.
#
#   e2e_consumers.sh prove|tap-parser HMT SOURCE_ROOT NODE_MODULES
set -eu

consumer=$1
hmt=$2
fixtures=$3/tests/fixtures
node_modules=$4

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

run_fixtures() {
  # The run has failing cases: hmt exits 1.
  "$hmt" --no-default-cases --cases "$fixtures/cases" --evaluator "$fixtures/evaluator.nix" \
    --option substituters '' --timeout 5 --jobs 2 "$@" >"$work/run.tap" 2>"$work/run.err" || [ $? -eq 1 ] ||
    { cat "$work/run.err"; fail "hmt did not finish its run"; }
}

case $consumer in
  prove)
    command -v prove >/dev/null 2>&1 || skip "prove not found (Debian package perl)"
    run_fixtures --tap-version 13
    prove -v --exec cat "$work/run.tap" >"$work/prove.out" 2>&1 && fail "prove passed a run with failures"
    grep -q 'Parse errors' "$work/prove.out" && { cat "$work/prove.out"; fail "prove could not parse hmt's TAP"; }
    grep -q 'Failed 4/6 subtests' "$work/prove.out" || { cat "$work/prove.out"; fail "prove did not count 4 of 6 failed"; }
    echo "prove read hmt's TAP 13: 4 of 6 cases failed, no parse errors"
    ;;
  tap-parser)
    parser=$node_modules/.bin/tap-parser
    [ -x "$parser" ] || {
      command -v npm >/dev/null 2>&1 || skip "npm not found"
      npm install --no-save --no-audit --no-fund --prefix "$(dirname "$node_modules")" tap-parser@18 >/dev/null 2>&1 ||
        skip "npm could not install tap-parser (offline?)"
    }
    run_fixtures --tap-version 14
    "$parser" --strict --json <"$work/run.tap" >"$work/events.json" || true
    node - "$work/events.json" <<'NODE' || { cat "$work/run.tap"; fail "tap-parser --strict rejected hmt's TAP 14"; }
const events = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const problems = [];
const walk = (list, where) => {
  for (const [type, value] of list) {
    if (type === 'extra') problems.push(`${where}: non-TAP data ${JSON.stringify(value)}`);
    if (type === 'child') walk(value, `${where} > subtest`);
    if (type === 'complete') {
      if (value.bailout) problems.push(`${where}: bailed out`);
      for (const f of value.failures) if (f.tapError) problems.push(`${where}: ${f.tapError}`);
    }
  }
};
walk(events, 'top');
const complete = events.filter(([t]) => t === 'complete').map(([, v]) => v)[0];
if (complete.count !== 6 || complete.fail !== 4) problems.push(`counted ${complete.count}/${complete.fail}, want 6/4`);
for (const p of problems) console.log(p);
process.exit(problems.length ? 1 : 0);
NODE
    echo "tap-parser --strict read hmt's TAP 14: 6 cases, 4 failed"
    ;;
  *) fail "unknown consumer $consumer" ;;
esac
