#include "harness/report/tap_reporter.h"

#include <fstream>
#include <sstream>

#include "tests/catch.h"

#include "result_builders.h"

namespace {

using hmt::AssertionResult;
using hmt::CaseResult;
using hmt::Status;
using namespace std::chrono_literals;
using hmt::testing::assertion;

CaseResult make_case(std::string name, Status status, std::string reason = "") {
  CaseResult c;
  c.file = "tests/" + name + ".nix";
  c.name = std::move(name);
  c.status = status;
  c.reason = std::move(reason);
  return c;
}

CaseResult passing() {
  auto c = make_case("passing", Status::Pass);
  c.assertions.push_back(
      assertion("assertFileExists", {"home-files/x"}, 1, Status::Pass, "home-files/x exists"));
  return c;
}

CaseResult failing() {
  auto c = make_case("failing", Status::Fail);
  c.assertions.push_back(
      assertion("assertFileExists", {"home-files/x"}, 1, Status::Pass, "home-files/x exists"));
  auto content = assertion("assertFileContent", {"home-files/app.conf", "./expected.conf"}, 2,
                           Status::Fail, "home-files/app.conf differs from ./expected.conf");
  content.expected = "a = 1\n\n  b = 2\n";
  content.actual = "a = 1\n\n  b = 3\n";
  content.diff = "--- ./expected.conf\n+++ home-files/app.conf\n@@ -1,3 +1,3 @@\n a = 1\n \n-  b = 2\n+  b = 3\n";
  c.assertions.push_back(content);
  c.assertions.push_back(assertion("assertFileNotExists", {"home-files/junk"}, 3, Status::Fail,
                                   "home-files/junk exists"));
  return c;
}

CaseResult eval_error() {
  auto c = make_case("eval-error", Status::Error, "evaluation failed");
  c.nix_error = "error: attribute 'enable' missing\n\n       at case.nix:3:5:\n";
  return c;
}

std::string run_one(int version, const CaseResult& result) {
  std::ostringstream out;
  hmt::TapReporter tap(out, version);
  tap.case_finished(result);
  return out.str();
}

// The YAML value the reporter writes for an assertion's "actual" field.
std::string actual_yaml(int version, const std::string& actual) {
  auto c = make_case("c", Status::Fail);
  auto a = assertion("assertX", {}, 0, Status::Fail, "m");
  a.actual = actual;
  c.assertions.push_back(a);
  const std::string text = run_one(version, c);
  const std::string key = "actual:";
  const auto start = text.find(key);
  REQUIRE(start != std::string::npos);
  // The block's end marker, not a "..." inside the value.
  const auto end = text.find(version == 14 ? "\n      ...\n" : "\n  ...\n", start) + 1;
  return text.substr(start + key.size(), end - start - key.size());
}

}  // namespace

TEST_CASE("TAP 13: version, plan up front, points numbered in completion order") {
  std::ostringstream out;
  hmt::TapReporter tap(out, 13);
  tap.run_started({{"a", "passing", "later"}, ""});
  tap.case_finished(make_case("later", Status::Skip, "needs network"));
  tap.case_finished(passing());
  tap.case_finished(make_case("a", Status::Skip));
  hmt::RunSummary summary;
  summary.passed = 1;
  summary.skipped = 2;
  tap.run_finished(summary);
  CHECK(out.str() ==
        "TAP version 13\n"
        "1..3\n"
        "ok 1 - later # SKIP needs network\n"
        "ok 2 - passing\n"
        "ok 3 - a # SKIP\n"
        "# 1 passed, 0 failed, 2 skipped\n");
}

TEST_CASE("TAP 13: a failed case lists every failed assertion in its YAML block") {
  CHECK(run_one(13, failing()) ==
        "not ok 1 - failing\n"
        "  ---\n"
        "  message: \"2 of 3 assertions failed\"\n"
        "  severity: fail\n"
        "  file: tests/failing.nix\n"
        "  failures:\n"
        "    - assertion: assertFileContent home-files/app.conf ./expected.conf\n"
        "      message: home-files/app.conf differs from ./expected.conf\n"
        "      line: 2\n"
        "      file: home-files/app.conf\n"
        "      expected: |\n"
        "        a = 1\n"
        "        \n"
        "          b = 2\n"
        "      actual: |\n"
        "        a = 1\n"
        "        \n"
        "          b = 3\n"
        "      diff: |\n"
        "        --- ./expected.conf\n"
        "        +++ home-files/app.conf\n"
        "        @@ -1,3 +1,3 @@\n"
        "         a = 1\n"
        "         \n"
        "        -  b = 2\n"
        "        +  b = 3\n"
        "    - assertion: assertFileNotExists home-files/junk\n"
        "      message: home-files/junk exists\n"
        "      line: 3\n"
        "      file: home-files/junk\n"
        "  ...\n");
}

TEST_CASE("TAP 13: an evaluation error carries Nix's message as a literal block") {
  CHECK(run_one(13, eval_error()) ==
        "not ok 1 - eval-error\n"
        "  ---\n"
        "  message: evaluation failed\n"
        "  severity: error\n"
        "  file: tests/eval-error.nix\n"
        "  nix_error: |\n"
        "    error: attribute 'enable' missing\n"
        "    \n"
        "           at case.nix:3:5:\n"
        "  ...\n");
}

TEST_CASE("TAP 13: a timeout is a failure with severity timeout") {
  CHECK(run_one(13, make_case("hangs", Status::Timeout, "timed out after 30s")) ==
        "not ok 1 - hangs\n"
        "  ---\n"
        "  message: timed out after 30s\n"
        "  severity: timeout\n"
        "  file: tests/hangs.nix\n"
        "  ...\n");
  CHECK(run_one(13, make_case("hangs", Status::Timeout)).find("  message: timed out\n") !=
        std::string::npos);
}

TEST_CASE("TAP: descriptions escape # and backslash and stay on one line") {
  auto c = make_case("a # b \\ c\nd\te\x1b", Status::Pass);
  CHECK(run_one(13, c) == "ok 1 - a \\# b \\\\ c d e \n");
  CHECK(run_one(14, c) == "ok 1 - a \\# b \\\\ c d e \n");
  // Quotes, markup and non-ASCII need nothing.
  CHECK(run_one(13, make_case("\"q\" <&> ünï ✓", Status::Pass)) == "ok 1 - \"q\" <&> ünï ✓\n");
  // Invalid UTF-8 must not reach the stream.
  CHECK(run_one(13, make_case("bad \xff byte", Status::Pass)) == "ok 1 - bad \\\\xFF byte\n");  // TAP escapes the backslash
  // Overlong, surrogate and truncated sequences: each bad byte shown as \xHH.
  CHECK(run_one(13, make_case("\xC0\xAF|\xED\xA0\x80|\xE2\x9C", Status::Pass)) ==
        "ok 1 - \\\\xC0\\\\xAF|\\\\xED\\\\xA0\\\\x80|\\\\xE2\\\\x9C\n");
}

TEST_CASE("TAP: skip reasons and bail out reasons are one line") {
  CHECK(run_one(13, make_case("s", Status::Skip, "first\nsecond")) == "ok 1 - s # SKIP first second\n");
  std::ostringstream out;
  hmt::TapReporter tap(out, 13);
  tap.run_started({{"a"}, ""});
  tap.bail_out("nix not found\nin PATH");
  tap.bail_out("");
  CHECK(out.str() == "TAP version 13\n1..1\nBail out! nix not found in PATH\nBail out!\n");
}

TEST_CASE("TAP: a bail out before the run started comes with a version line and an empty plan") {
  for (int version : {13, 14}) {
    std::ostringstream out;
    hmt::TapReporter tap(out, version);
    tap.bail_out("no case folders");
    CHECK(out.str() == "TAP version " + std::to_string(version) + "\n1..0\nBail out! no case folders\n");
  }
}

TEST_CASE("TAP: a stream that cannot be written is a write failure saying why") {
  std::ofstream full("/dev/full");
  REQUIRE(full.is_open());
  hmt::TapReporter tap(full, 13);
  CHECK_FALSE(tap.write_failure());
  tap.run_started({{"a"}, ""});
  tap.case_finished(make_case("a", Status::Pass));
  CHECK(tap.write_failure() == "cannot write the TAP report: No space left on device");
}

TEST_CASE("TAP YAML: strings that would not read back as themselves are quoted") {
  CHECK(actual_yaml(13, "plain words/path_x.nix") == " plain words/path_x.nix\n");
  CHECK(actual_yaml(13, "ünïcödé ✓") == " ünïcödé ✓\n");
  CHECK(actual_yaml(13, "") == " \"\"\n");
  CHECK(actual_yaml(13, "true") == " \"true\"\n");
  CHECK(actual_yaml(13, "Off") == " \"Off\"\n");
  CHECK(actual_yaml(13, "42") == " \"42\"\n");
  CHECK(actual_yaml(13, "~") == " \"~\"\n");
  CHECK(actual_yaml(13, "key: value") == " \"key: value\"\n");
  CHECK(actual_yaml(13, "a # comment") == " \"a # comment\"\n");
  CHECK(actual_yaml(13, " leading") == " \" leading\"\n");
  CHECK(actual_yaml(13, "trailing ") == " \"trailing \"\n");
  CHECK(actual_yaml(13, "- item") == " \"- item\"\n");
  CHECK(actual_yaml(13, "say \"hi\" \\ there") == " \"say \\\"hi\\\" \\\\ there\"\n");
  CHECK(actual_yaml(13, "'single'") == " \"'single'\"\n");
  CHECK(actual_yaml(13, "<&>") == " \"<&>\"\n");
}

TEST_CASE("TAP YAML: control characters are escaped, never written raw") {
  CHECK(actual_yaml(13, "bell\a esc\x1b del\x7f nul") == " \"bell\\x07 esc\\x1B del\\x7F nul\"\n");
  CHECK(actual_yaml(13, "tab\there") == " \"tab\\there\"\n");
  // U+0085 and U+2028 are line breaks to some YAML parsers.
  CHECK(actual_yaml(14, "a\xC2\x85 b\xE2\x80\xA8") == " \"a\\x85 b\\u2028\"\n");
  // A CR would be folded into the line break inside a block.
  CHECK(actual_yaml(14, "dos\r\nline\r\n") == " \"dos\\r\\nline\\r\\n\"\n");
}

TEST_CASE("TAP YAML: multi-line strings are literal blocks when they can round-trip") {
  SECTION("TAP 14 keeps the final newline exactly: | with it, |- without") {
    CHECK(actual_yaml(14, "one\ntwo\n") == " |\n        one\n        two\n");
    CHECK(actual_yaml(14, "one\ntwo") == " |-\n        one\n        two\n");
  }
  SECTION("TAP 13 always uses |, the only literal style prove reads") {
    CHECK(actual_yaml(13, "one\ntwo\n") == " |\n        one\n        two\n");
    CHECK(actual_yaml(13, "one\ntwo") == " |\n        one\n        two\n");
  }
  SECTION("blank and whitespace-only lines keep the block's indentation") {
    CHECK(actual_yaml(14, "a\n\n   \nb\n") == " |\n        a\n        \n           \n        b\n");
  }
  SECTION("lines that look like TAP or YAML markers are just content") {
    CHECK(actual_yaml(14, "---\n...\n# x: y\n") == " |\n        ---\n        ...\n        # x: y\n");
  }
  SECTION("shapes a block cannot carry fall back to a quoted string") {
    CHECK(actual_yaml(14, "  indented first\nline\n") == " \"  indented first\\nline\\n\"\n");
    CHECK(actual_yaml(14, "\nblank first\n") == " \"\\nblank first\\n\"\n");
    CHECK(actual_yaml(14, "trailing blanks\n\n\n") == " \"trailing blanks\\n\\n\\n\"\n");
    CHECK(actual_yaml(14, "x\n   ") == " \"x\\n   \"\n");
    CHECK(actual_yaml(14, "with esc\n\x1b[0m\n") == " \"with esc\\n\\x1B[0m\\n\"\n");
  }
  SECTION("bytes that are not UTF-8 show as \\xHH, in blocks as in quoted scalars") {
    CHECK(actual_yaml(14, "bad \xff\nbyte\n") == " |\n        bad \\xFF\n        byte\n");
    CHECK(actual_yaml(14, "bad\xc3") == " \"bad\\\\xC3\"\n");
  }
  SECTION("a line starting with a tab is a block in TAP 14 but quoted for prove") {
    CHECK(actual_yaml(14, "rule:\n\tcommand\n") == " |\n        rule:\n        \tcommand\n");
    CHECK(actual_yaml(13, "rule:\n\tcommand\n") == " \"rule:\\n\\tcommand\\n\"\n");
  }
}

TEST_CASE("TAP 14: a case is a subtest with a test point per assertion") {
  CHECK(run_one(14, failing()) ==
        "# Subtest: failing\n"
        "    1..3\n"
        "    ok 1 - assertFileExists home-files/x\n"
        "    not ok 2 - assertFileContent home-files/app.conf ./expected.conf\n"
        "      ---\n"
        "      message: home-files/app.conf differs from ./expected.conf\n"
        "      severity: fail\n"
        "      line: 2\n"
        "      file: home-files/app.conf\n"
        "      expected: |\n"
        "        a = 1\n"
        "        \n"
        "          b = 2\n"
        "      actual: |\n"
        "        a = 1\n"
        "        \n"
        "          b = 3\n"
        "      diff: |\n"
        "        --- ./expected.conf\n"
        "        +++ home-files/app.conf\n"
        "        @@ -1,3 +1,3 @@\n"
        "         a = 1\n"
        "         \n"
        "        -  b = 2\n"
        "        +  b = 3\n"
        "      ...\n"
        "    not ok 3 - assertFileNotExists home-files/junk\n"
        "      ---\n"
        "      message: home-files/junk exists\n"
        "      severity: fail\n"
        "      line: 3\n"
        "      file: home-files/junk\n"
        "      ...\n"
        "not ok 1 - failing\n"
        "  ---\n"
        "  file: tests/failing.nix\n"
        "  ...\n");
  CHECK(run_one(14, passing()) ==
        "# Subtest: passing\n"
        "    1..1\n"
        "    ok 1 - assertFileExists home-files/x\n"
        "ok 1 - passing\n");
}

TEST_CASE("TAP 14: skips and cases without assertions are plain test points") {
  CHECK(run_one(14, make_case("s", Status::Skip, "later")) == "ok 1 - s # SKIP later\n");
  CHECK(run_one(14, make_case("builds", Status::Pass)) == "ok 1 - builds\n");
}

TEST_CASE("TAP 14: an error without failed assertions gets a failing point of its own") {
  std::ostringstream out;
  hmt::TapReporter tap(out, 14);
  tap.run_started({{"eval-error", "hangs"}, ""});
  tap.case_finished(eval_error());
  tap.case_finished(make_case("hangs", Status::Timeout, "timed out after 30s"));
  CHECK(out.str() ==
        "TAP version 14\n"
        "1..2\n"
        "# Subtest: eval-error\n"
        "    1..1\n"
        "    not ok 1 - evaluation failed\n"
        "      ---\n"
        "      message: evaluation failed\n"
        "      severity: error\n"
        "      file: tests/eval-error.nix\n"
        "      nix_error: |\n"
        "        error: attribute 'enable' missing\n"
        "        \n"
        "               at case.nix:3:5:\n"
        "      ...\n"
        "not ok 1 - eval-error\n"
        "# Subtest: hangs\n"
        "    1..1\n"
        "    not ok 1 - timed out after 30s\n"
        "      ---\n"
        "      message: timed out after 30s\n"
        "      severity: timeout\n"
        "      file: tests/hangs.nix\n"
        "      ...\n"
        "not ok 2 - hangs\n");
}

TEST_CASE("TAP 14: a case error not told by its assertions is added after them") {
  auto c = make_case("script-error", Status::Error, "line 2: unknown command frobnicate");
  c.assertions.push_back(assertion("assertFileExists", {"a"}, 1, Status::Pass, "a exists"));
  CHECK(run_one(14, c) ==
        "# Subtest: script-error\n"
        "    1..2\n"
        "    ok 1 - assertFileExists a\n"
        "    not ok 2 - line 2: unknown command frobnicate\n"
        "      ---\n"
        "      message: \"line 2: unknown command frobnicate\"\n"
        "      severity: error\n"
        "      file: tests/script-error.nix\n"
        "      ...\n"
        "not ok 1 - script-error\n");

  // When the failed assertion already says it, no extra point.
  auto usage = make_case("bad-usage", Status::Error, "needs 2 arguments");
  usage.assertions.push_back(assertion("assertFileContains", {"a"}, 1, Status::Error, "needs 2 arguments"));
  CHECK(run_one(14, usage) ==
        "# Subtest: bad-usage\n"
        "    1..1\n"
        "    not ok 1 - assertFileContains a\n"
        "      ---\n"
        "      message: needs 2 arguments\n"
        "      severity: error\n"
        "      line: 1\n"
        "      file: a\n"
        "      ...\n"
        "not ok 1 - bad-usage\n"
        "  ---\n"
        "  file: tests/bad-usage.nix\n"
        "  ...\n");
}

TEST_CASE("TAP 14: assertion titles quote arguments and escape TAP characters") {
  auto c = make_case("c", Status::Pass);
  c.assertions.push_back(assertion("assertFileContains", {"a b", "it's # \\ \"q\"", ""}, 1,
                                   Status::Pass, "ok"));
  CHECK(run_one(14, c) ==
        "# Subtest: c\n"
        "    1..1\n"
        "    ok 1 - assertFileContains 'a b' 'it'\\\\''s \\# \\\\ \"q\"' ''\n"
        "ok 1 - c\n");
}

TEST_CASE("TAP: a version other than 14 means 13") {
  std::ostringstream out;
  hmt::TapReporter tap(out, 12);
  tap.run_started({{}, ""});
  CHECK(out.str() == "TAP version 13\n1..0\n");
}

TEST_CASE("TAP: a cached verdict is a comment after its test point and block, counted at the end") {
  auto cached_pass = passing();
  cached_pass.cached = true;
  CHECK(run_one(13, cached_pass) == "ok 1 - passing\n# cached: passing\n");
  auto cached_fail = failing();
  cached_fail.cached = true;
  const std::string tap13 = run_one(13, cached_fail);
  // The YAML block must follow its test point at once; the comment comes after it.
  CHECK(tap13.rfind("not ok 1 - failing\n  ---\n", 0) == 0);
  CHECK(tap13.ends_with("  ...\n# cached: failing\n"));
  const std::string tap14 = run_one(14, cached_fail);
  CHECK(tap14.find("not ok 1 - failing\n") != std::string::npos);
  CHECK(tap14.ends_with("# cached: failing\n"));
  CHECK(run_one(14, cached_pass).ends_with("ok 1 - passing\n# cached: passing\n"));

  std::ostringstream out;
  hmt::TapReporter tap(out, 13);
  hmt::RunSummary summary;
  summary.passed = 2;
  summary.cached = 1;
  tap.run_finished(summary);
  CHECK(out.str() == "# 2 passed, 0 failed, 0 skipped; 1 cached\n");
}
