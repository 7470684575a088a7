#!/bin/sh
# Feeds the reporters' output for one representative run (tap_sample) to the
# programs that consume it in real life, and checks they read all of it:
#
#   tap_consumers.sh prove      TAP_SAMPLE NODE_MODULES   TAP 13 through prove
#   tap_consumers.sh tap-parser TAP_SAMPLE NODE_MODULES   TAP 13 and 14 through tap-parser --strict
#   tap_consumers.sh xmllint    TAP_SAMPLE NODE_MODULES   JUnit XML through xmllint
#
# Beyond "no parse error", the YAML diagnostics are compared with the run
# itself (tap_sample expected), so every escaped or multi-line value must
# read back as written. Exits 77, which ctest reports as skipped, when a
# consumer is not installed (or npm cannot fetch tap-parser).
set -eu

consumer=$1
sample=$2
node_modules=$3

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

skip() {
  echo "SKIP: $*"
  exit 77
}
fail() {
  echo "FAIL: $*"
  exit 1
}

"$sample" expected >"$work/expected.json"

check_prove() {
  command -v prove >/dev/null 2>&1 || skip "prove not found (Debian package perl)"
  "$sample" tap13 >"$work/run.tap"
  # The run has failures, so prove must exit non-zero; what matters is that it
  # parsed every test point and YAML block.
  if prove -v --exec cat "$work/run.tap" >"$work/prove.out" 2>&1; then
    cat "$work/prove.out"
    fail "prove reported success for a run with failures"
  fi
  cat "$work/prove.out"
  perl - "$work/run.tap" "$work/expected.json" "$work/prove.out" <<'PERL'
use strict;
use warnings;
use JSON::PP;
use TAP::Parser;

my ($tap, $expected_file, $prove_out) = @ARGV;
sub slurp { local $/; open my $fh, '<:raw', $_[0] or die "$_[0]: $!"; return <$fh>; }
my $cases = JSON::PP->new->utf8->decode(slurp($expected_file));
my @errors;
sub text { my $s = shift; utf8::decode($s) if defined $s && !utf8::is_utf8($s); return $s; }
sub failed { my $status = shift; return $status ne 'PASS' && $status ne 'SKIP'; }
# TAP 13 writes multi-line values as "|" blocks, which read back with one
# final newline whether or not the original had it.
sub same {
  my ($what, $got, $want) = @_;
  $got = text($got);
  return if defined $got && ($got eq $want || ($want !~ /\n\z/ && $got eq "$want\n"));
  push @errors, "$what: got " . (defined $got ? "'$got'" : 'nothing') . ", want '$want'";
}

# prove's own verdict: all test points seen, no parse errors.
my $report = text(slurp($prove_out));
my $total = @$cases;
my $bad = grep { failed($_->{status}) } @$cases;
push @errors, "prove found parse errors" if $report =~ /Parse errors/;
push @errors, "prove did not report 'Failed $bad/$total subtests'"
  unless $report =~ m{^Failed \Q$bad/$total\E subtests}m;

# The diagnostics, through the same parser prove uses.
my $parser = TAP::Parser->new({ source => $tap });
my (@tests, %yaml);
while (my $result = $parser->next) {
  push @tests, $result if $result->is_test;
  $yaml{ $tests[-1]->number } = $result->data if $result->is_yaml;
}
push @errors, map { "parse error: $_" } $parser->parse_errors;
push @errors, "saw " . @tests . " test points, want $total" unless @tests == $total;

for my $i (0 .. $#$cases) {
  my ($case, $test) = ($cases->[$i], $tests[$i]);
  last unless $test;
  my $n = $i + 1;
  (my $name = text($test->description)) =~ s/^- //;
  $name =~ s/\\([\\#])/$1/g;
  same("test $n name", $name, $case->{name});
  push @errors, "test $n ok-ness" unless !$test->is_actual_ok == !!failed($case->{status});
  if ($case->{status} eq 'SKIP') {
    push @errors, "test $n is not a SKIP" unless $test->has_skip;
    same("test $n skip reason", $test->explanation, $case->{reason});
  }
  next unless failed($case->{status});
  my $diag = $yaml{$n} or do { push @errors, "test $n has no YAML"; next };
  my %severity = (FAIL => 'fail', ERROR => 'error', TIMEOUT => 'timeout');
  same("test $n severity", $diag->{severity}, $severity{ $case->{status} });
  same("test $n message", $diag->{message}, $case->{reason}) if length $case->{reason};
  same("test $n file", $diag->{file}, $case->{file});
  same("test $n nix_error", $diag->{nix_error}, $case->{nix_error}) if length $case->{nix_error};
  my @want = grep { failed($_->{status}) } @{ $case->{assertions} };
  my @got = @{ $diag->{failures} || [] };
  push @errors, "test $n lists " . @got . " failures, want " . @want unless @got == @want;
  for my $k (0 .. $#want) {
    my ($g, $w) = ($got[$k] || {}, $want[$k]);
    same("test $n failure $k assertion", $g->{assertion}, $w->{title});
    same("test $n failure $k line", $g->{line}, $w->{line});
    for my $key (qw(message file expected actual diff)) {
      same("test $n failure $k $key", $g->{$key}, $w->{$key}) if defined $w->{$key} && length $w->{$key};
    }
  }
}

binmode STDOUT, ':utf8';
print "not ok: $_\n" for @errors;
print @errors ? "prove check failed\n" : "prove read all $total test points and their diagnostics\n";
exit(@errors ? 1 : 0);
PERL
}

check_tap_parser() {
  parser="$node_modules/.bin/tap-parser"
  if [ ! -x "$parser" ]; then
    command -v node >/dev/null 2>&1 || skip "node not found"
    command -v npm >/dev/null 2>&1 || skip "npm not found"
    node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
      skip "tap-parser 18 needs node >= 20, found $(node --version)"
    # --no-save: no package.json or lock file next to node_modules.
    npm install --no-save --no-audit --no-fund --prefix "$(dirname "$node_modules")" tap-parser@18 ||
      skip "npm could not install tap-parser (offline?)"
  fi
  command -v node >/dev/null 2>&1 || skip "node not found"
  for version in 13 14; do
    "$sample" "tap$version" >"$work/run$version.tap"
    # tap-parser exits non-zero for a failing run; the JSON events are the verdict.
    "$parser" --strict --json <"$work/run$version.tap" >"$work/events$version.json" || true
    node - "$version" "$work/events$version.json" "$work/expected.json" <<'NODE' || fail "tap-parser check of TAP $version"
const fs = require('fs');
const [versionArg, eventsFile, expectedFile] = process.argv.slice(2);
const version = Number(versionArg);
const events = JSON.parse(fs.readFileSync(eventsFile, 'utf8'));
const cases = JSON.parse(fs.readFileSync(expectedFile, 'utf8'));
const errors = [];
const failed = (status) => status !== 'PASS' && status !== 'SKIP';
const severity = { FAIL: 'fail', ERROR: 'error', TIMEOUT: 'timeout' };
// TAP 13 writes multi-line values as "|" blocks (all prove reads), which come
// back with one final newline; TAP 14 must round-trip exactly.
const same = (what, got, want) => {
  if (got === want) return;
  if (version === 13 && typeof want === 'string' && !want.endsWith('\n') && got === want + '\n') return;
  errors.push(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
};
const of = (list, type) => list.filter(([t]) => t === type).map(([, value]) => value);

// Anything strict mode could not read shows up as "extra" data or as a
// failure carrying a tapError, at any depth.
const checkStream = (list, where) => {
  for (const extra of of(list, 'extra')) errors.push(`${where}: non-TAP data ${JSON.stringify(extra)}`);
  for (const child of of(list, 'child')) checkStream(child, `${where} > subtest`);
  for (const done of of(list, 'complete')) {
    if (done.bailout) errors.push(`${where}: bailed out`);
    for (const f of done.failures) if (f.tapError) errors.push(`${where}: ${f.tapError}: ${JSON.stringify(f.data)}`);
  }
};
checkStream(events, 'top level');

same('version', of(events, 'version')[0], version);
const asserts = of(events, 'assert');
const [complete] = of(events, 'complete');
same('count', complete.count, cases.length);
same('failed', complete.fail, cases.filter((c) => failed(c.status)).length);
same('skipped', complete.skip, cases.filter((c) => c.status === 'SKIP').length);
same('test points', asserts.length, cases.length);

const checkAssertionDiag = (what, diag, a) => {
  for (const key of ['message', 'line', 'file', 'expected', 'actual', 'diff'])
    if (a[key] !== undefined && a[key] !== '' && a[key] !== 0) same(`${what} ${key}`, diag[key], a[key]);
};

const children = of(events, 'child');
let childIndex = 0;
cases.forEach((c, i) => {
  const what = `test ${i + 1}`;
  const point = asserts[i] || {};
  same(`${what} name`, point.name, c.name);
  same(`${what} ok`, point.ok, !failed(c.status));
  if (c.status === 'SKIP') same(`${what} skip reason`, point.skip, c.reason);
  if (version === 13) {
    if (!failed(c.status)) return;
    const diag = point.diag || {};
    same(`${what} severity`, diag.severity, severity[c.status]);
    if (c.reason) same(`${what} message`, diag.message, c.reason);
    same(`${what} file`, diag.file, c.file);
    if (c.nix_error) same(`${what} nix_error`, diag.nix_error, c.nix_error);
    const want = c.assertions.filter((a) => failed(a.status));
    const got = diag.failures || [];
    same(`${what} failures`, got.length, want.length);
    want.forEach((a, k) => {
      same(`${what} failure ${k} assertion`, (got[k] || {}).assertion, a.title);
      checkAssertionDiag(`${what} failure ${k}`, got[k] || {}, a);
    });
    return;
  }
  // TAP 14: a subtest per case that has assertions or a case-level error.
  const hasSubtest = c.status !== 'SKIP' && (c.assertions.length > 0 || failed(c.status));
  if (!hasSubtest) return;
  const child = children[childIndex++] || [];
  const points = of(child, 'assert');
  c.assertions.forEach((a, k) => {
    const p = points[k] || {};
    same(`${what}.${k + 1} name`, p.name, a.title);
    same(`${what}.${k + 1} ok`, p.ok, !failed(a.status));
    if (failed(a.status)) {
      same(`${what}.${k + 1} severity`, (p.diag || {}).severity, severity[a.status]);
      checkAssertionDiag(`${what}.${k + 1}`, p.diag || {}, a);
    }
  });
  const casePoint = points[c.assertions.length];
  if (c.assertions.length === 0 || c.nix_error) {
    if (!casePoint) return errors.push(`${what}: no test point for the case error`);
    same(`${what} case point ok`, casePoint.ok, false);
    same(`${what} case point severity`, (casePoint.diag || {}).severity, severity[c.status]);
    same(`${what} case point file`, (casePoint.diag || {}).file, c.file);
    if (c.nix_error) same(`${what} case point nix_error`, casePoint.diag.nix_error, c.nix_error);
  }
});
same('subtests', children.length, childIndex);

for (const e of errors) console.log(`not ok: ${e}`);
console.log(errors.length ? `TAP ${version}: tap-parser check failed` : `TAP ${version}: tap-parser --strict read all ${cases.length} test points and their diagnostics`);
process.exit(errors.length ? 1 : 0);
NODE
  done
}

check_xmllint() {
  command -v xmllint >/dev/null 2>&1 || skip "xmllint not found (Debian package libxml2-utils)"
  "$sample" junit "$work/report.xml"
  xmllint --noout "$work/report.xml" || fail "xmllint rejects the JUnit report"
  xpath() { xmllint --xpath "$1" "$work/report.xml"; }
  # Counts in the attributes must match the elements, and the run itself.
  "$sample" tap13 >"$work/run.tap"
  cases=$(grep -c '^\(not \)\?ok ' "$work/run.tap")
  bad=$(grep -c '^not ok ' "$work/run.tap")
  skipped=$(grep -c '^ok .* # SKIP' "$work/run.tap")
  for check in \
    "count(//testcase)=$cases" \
    "number(/testsuites/testsuite/@tests)=$cases" \
    "number(/testsuites/testsuite/@failures)=count(//testcase/failure)" \
    "number(/testsuites/testsuite/@errors)=count(//testcase/error)" \
    "count(//testcase/failure)+count(//testcase/error)=$bad" \
    "number(/testsuites/testsuite/@skipped)=$skipped" \
    "count(//testcase/skipped)=$skipped" \
    "contains(//testcase/failure, '+key = other')" \
    "count(//testcase[contains(@name, 'odd # name \\ \"quoted\" <&>')])=1"; do
    [ "$(xpath "$check")" = true ] || fail "JUnit report: $check is false"
  done
  echo "xmllint accepts the JUnit report ($cases test cases, $bad failed, $skipped skipped)"
}

case $consumer in
  prove) check_prove ;;
  tap-parser) check_tap_parser ;;
  xmllint) check_xmllint ;;
  *) fail "unknown consumer $consumer" ;;
esac
