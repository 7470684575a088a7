#include "harness/report/console_reporter.h"

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

#include "tests/catch.h"

#include "harness/report/report_text.h"
#include "result_builders.h"
#include "tests/fuzz_inputs.h"

namespace {

using hmt::AssertionResult;
using hmt::CaseResult;
using hmt::Status;
using namespace std::chrono_literals;
using hmt::testing::make_case;
using hmt::testing::failed_assertion;

CaseResult failing() {
  auto c = make_case("failing", Status::Fail, 340ms);
  auto content = hmt::testing::content_mismatch();
  c.assertions.push_back(content);
  auto contains = failed_assertion("assertFileContains", {"home-files/b", "x = 1"}, 3,
                                   "home-files/b does not contain the line");
  contains.expected = "x = 1";
  contains.actual = "x = 2\ny = 3\n";
  c.assertions.push_back(contains);
  return c;
}

hmt::RunSummary summary(int passed, int failed, int skipped, std::chrono::milliseconds duration) {
  hmt::RunSummary s;
  s.passed = passed;
  s.failed = failed;
  s.skipped = skipped;
  s.duration = duration;
  return s;
}

// Sets (or, with nullopt, unsets) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value->c_str(), 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("console: a result per case, failures in detail, a summary") {
  std::ostringstream out;
  hmt::ConsoleReporter console(out, /*color=*/false, /*live=*/false);
  console.run_started({{"later", "passing", "failing", "eval-error", "hangs"}, ""});
  console.case_started("later");
  console.case_finished(make_case("later", Status::Skip, 0ms, "needs network"));
  console.case_finished(make_case("passing", Status::Pass, 1234ms));
  auto failed = failing();
  failed.line = 4;
  failed.tested = "/nix/store/aaaa-tested";
  failed.rerun = "hmt -- failing";
  console.case_finished(failed);
  auto eval_error = make_case("eval-error", Status::Error, 2100ms, "evaluation failed");
  eval_error.nix_error = "error: attribute 'enable' missing\n\n       at case.nix:3:5:\n";
  console.case_finished(eval_error);
  console.case_finished(make_case("hangs", Status::Timeout, 30000ms, "timed out after 30s"));
  console.run_finished(summary(1, 3, 1, 31500ms));
  CHECK(out.str() ==
        "SKIP later: needs network\n"
        "PASS passing (1.2s)\n"
        "FAIL failing (340ms)\n"
        "  case: tests/failing.nix:4\n"
        "  tested: /nix/store/aaaa-tested\n"
        "  rerun: hmt -- failing\n"
        "  line 2: assertFileContent home-files/app.conf ./expected.conf\n"
        "    home-files/app.conf differs from ./expected.conf\n"
        "    diff:\n"
        "      --- ./expected.conf\n"
        "      +++ home-files/app.conf\n"
        "      @@ -1 +1 @@\n"
        "      -a = 1\n"
        "      +a = 2\n"
        "  line 3: assertFileContains home-files/b 'x = 1'\n"
        "    home-files/b does not contain the line\n"
        "    expected:\n"
        "      x = 1\n"
        "    actual:\n"
        "      x = 2\n"
        "      y = 3\n"
        "ERROR eval-error (2.1s): evaluation failed\n"
        "  case: tests/eval-error.nix\n"
        "  error: attribute 'enable' missing\n"
        "  \n"
        "         at case.nix:3:5:\n"
        "TIMEOUT hangs (30.0s): timed out after 30s\n"
        "  case: tests/hangs.nix\n"
        "1 passed, 3 failed, 1 skipped in 31.5s\n");
}

TEST_CASE("console: a bail out is said before the summary") {
  std::ostringstream out;
  hmt::ConsoleReporter console(out, false, false);
  console.bail_out("nix not found\nin PATH");
  console.run_finished(summary(0, 0, 0, 20ms));
  CHECK(out.str() == "BAIL OUT nix not found in PATH\n0 passed, 0 failed, 0 skipped in 20ms\n");
}

TEST_CASE("console: a stream that cannot be written is a write failure saying why") {
  std::ofstream full("/dev/full");
  REQUIRE(full.is_open());
  hmt::ConsoleReporter console(full, false, false);
  console.case_finished(make_case("a", Status::Pass, 5ms));
  CHECK(console.write_failure() == "cannot write the console report: No space left on device");
}

TEST_CASE("console: colour comes from ANSI codes, only when asked for") {
  std::ostringstream out;
  hmt::ConsoleReporter console(out, /*color=*/true, /*live=*/false);
  console.case_finished(make_case("a", Status::Pass, 5ms));
  console.case_finished(failing());
  console.case_finished(make_case("s", Status::Skip, 0ms));
  console.run_finished(summary(1, 1, 0, 2s));
  const std::string text = out.str();
  CHECK_THAT(text, hmt::testing::StartsWith("\x1b[32mPASS\x1b[0m a \x1b[2m(5ms)\x1b[0m\n"
                                     "\x1b[1;31mFAIL\x1b[0m failing \x1b[2m(340ms)\x1b[0m\n"));
  CHECK_THAT(text, hmt::testing::Contains("      \x1b[1m--- ./expected.conf\x1b[0m\n"
                                   "      \x1b[1m+++ home-files/app.conf\x1b[0m\n"
                                   "      \x1b[36m@@ -1 +1 @@\x1b[0m\n"
                                   "      \x1b[31m-a = 1\x1b[0m\n"
                                   "      \x1b[32m+a = 2\x1b[0m\n"));
  CHECK_THAT(text, hmt::testing::Contains("\x1b[33mSKIP\x1b[0m s\n"));
  CHECK_THAT(text, hmt::testing::EndsWith("\x1b[32m1 passed\x1b[0m, \x1b[1;31m1 failed\x1b[0m, 0 skipped in 2.0s\n"));

  std::ostringstream plain;
  hmt::ConsoleReporter no_colour(plain, false, false);
  no_colour.case_finished(failing());
  CHECK(plain.str().find('\x1b') == std::string::npos);
}

TEST_CASE("console: control characters from files and Nix are shown, not obeyed") {
  std::ostringstream out;
  hmt::ConsoleReporter console(out, false, false);
  auto c = make_case("odd\x1b[2Jname\nx", Status::Error, 1ms, "why\r");
  c.nix_error = "\x1b[31;1merror:\x1b[0m bad\x7f\ttab\n";
  console.case_finished(c);
  CHECK(out.str() ==
        "ERROR odd^[[2Jname x (1ms): why^M\n"
        "  case: tests/odd^[[2Jname x.nix\n"
        "  ^[[31;1merror:^[[0m bad^?\ttab\n");
}

TEST_CASE("console: live mode keeps a progress line under the results") {
  std::ostringstream out;
  hmt::ConsoleReporter console(out, false, /*live=*/true);
  console.run_started({{"a", "b", "c"}, ""});
  console.case_started("a");
  console.case_started("b");
  console.case_finished(make_case("a", Status::Pass, 5ms));
  console.run_finished(summary(1, 0, 0, 5ms));
  CHECK(out.str() ==
        "[0/3]"
        "\r\x1b[2K[0/3] running: a"
        "\r\x1b[2K[0/3] running: a, b"
        "\r\x1b[2KPASS a (5ms)\n"
        "[1/3] running: b"
        "\r\x1b[2K1 passed, 0 failed, 0 skipped in 5ms\n");
}

TEST_CASE("console: the live line is cut to the terminal width so it never wraps") {
  std::ostringstream out;
  hmt::ConsoleReporter console(out, false, true, /*width=*/24);
  console.run_started({{"x"}, ""});
  console.case_started("ünïcödé-case-with-a-long-name");
  // 23 columns (one short of the width): 20 of the line, then "...".
  CHECK(out.str() == "[0/1]\r\x1b[2K[0/1] running: ünïcö...");
}

TEST_CASE("console: colour follows the TTY, NO_COLOR and TERM=dumb") {
  ScopedEnv term("TERM", "xterm-256color");
  {
    ScopedEnv no_color("NO_COLOR", std::nullopt);
    CHECK(hmt::console_wants_color(true));
    CHECK_FALSE(hmt::console_wants_color(false));
  }
  {
    ScopedEnv no_color("NO_COLOR", "1");
    CHECK_FALSE(hmt::console_wants_color(true));
  }
  {
    // no-color.org: only a non-empty value counts.
    ScopedEnv no_color("NO_COLOR", "");
    CHECK(hmt::console_wants_color(true));
  }
  {
    ScopedEnv no_color("NO_COLOR", std::nullopt);
    ScopedEnv dumb("TERM", "dumb");
    CHECK_FALSE(hmt::console_wants_color(true));
  }
}

TEST_CASE("console: the live line says what the run is doing: listing, evaluating, building") {
  std::ostringstream out;
  hmt::ConsoleReporter console(out, false, /*live=*/true, /*width=*/120);
  console.progress({"listing the cases", 0, 0, 0});
  console.run_started({{"a", "b", "c"}, ""});
  console.progress({"", 1, 3, 1});
  console.progress({"", 3, 3, 0});
  CHECK(out.str() ==
        "listing the cases..."
        "\r\x1b[2Klisting the cases..."
        "\r\x1b[2K[0/3] evaluated 1 of 3, building 1 chunk"
        "\r\x1b[2K[0/3]");
}

TEST_CASE("console: progress draws nothing when not live") {
  std::ostringstream out;
  hmt::ConsoleReporter console(out, false, /*live=*/false);
  console.progress({"listing the cases", 0, 0, 0});
  console.progress({"", 1, 3, 2});
  CHECK(out.str().empty());
}

TEST_CASE("console: bytes that are not UTF-8 show as hex escapes (fuzzer inputs too)", "[console]") {
  for (const auto& [file, input] : hmt::testing::fuzz_crash_inputs("report_escaping")) {
    INFO(file);
    hmt::CaseResult result;
    result.name = input;
    result.status = hmt::Status::Fail;
    result.reason = input;
    std::ostringstream out;
    hmt::ConsoleReporter console(out, /*color=*/false, /*live=*/false);
    console.run_started({{result.name}, ""});
    console.case_finished(result);
    console.run_finished({0, 1, 0, {}, false});
    CHECK(hmt::report_text::valid_utf8(out.str()) == out.str());
    CHECK_THAT(out.str(), hmt::testing::Contains("\\xED\\xA0\\x80"));
  }
}

TEST_CASE("console: a cached verdict says so instead of a time, and the summary counts them") {
  std::ostringstream out;
  hmt::ConsoleReporter console(out, false, false, 80);
  auto cached = make_case("cached", Status::Pass, 0ms);
  cached.cached = true;
  console.case_finished(cached);
  console.case_finished(make_case("fresh", Status::Pass, 1500ms));
  auto s = summary(2, 0, 0, 1500ms);
  s.cached = 1;
  console.run_finished(s);
  CHECK(out.str() == "PASS cached (cached)\nPASS fresh (1.5s)\n2 passed, 0 failed, 0 skipped (1 cached) in 1.5s\n");
}
