// Drives the reporters through one representative run so that real consumers
// (prove, tap-parser, xmllint; see tap_consumers.sh) can check the output:
//
//   tap_sample tap13        TAP 13 on stdout
//   tap_sample tap14        TAP 14 on stdout
//   tap_sample junit FILE   JUnit XML into FILE
//   tap_sample expected     the run itself as JSON, for round-trip checks
//
// The run has failures with multi-line diffs, an evaluation error, a
// timeout, a skip, cached verdicts and names full of characters that need
// escaping.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/report/junit_reporter.h"
#include "harness/report/report_text.h"
#include "harness/report/tap_reporter.h"
#include "result_builders.h"

namespace {

using hmt::AssertionResult;
using hmt::CaseResult;
using hmt::Status;
using namespace std::chrono_literals;
using hmt::testing::assertion;

CaseResult passing() {
  CaseResult c;
  c.name = "passing";
  c.file = "tests/passing.nix";
  c.duration = 1200ms;
  c.assertions.push_back(assertion("assertFileExists", {"home-files/.config/app/app.conf"}, 1,
                                   Status::Pass, "home-files/.config/app/app.conf exists"));
  return c;
}

CaseResult failing() {
  CaseResult c;
  c.name = "failing";
  c.file = "tests/failing.nix";
  c.status = Status::Fail;
  c.duration = 340ms;
  c.assertions.push_back(assertion("assertFileExists", {"home-files/.config/app/app.conf"}, 1,
                                   Status::Pass, "home-files/.config/app/app.conf exists"));

  auto content = assertion("assertFileContent",
                           {"home-files/.config/app/app.conf", "./expected.conf"}, 2, Status::Fail,
                           "home-files/.config/app/app.conf differs from ./expected.conf");
  content.expected = "[main]\nkey = value\n# comment: yes\n\n  indented\nquote \"x\" 'y' <&>\n";
  content.actual = "[main]\nkey = other\n# comment: yes\n\n  indented\nquote \"x\" 'y' <&>\n";
  content.diff =
      "--- ./expected.conf\n"
      "+++ home-files/.config/app/app.conf\n"
      "@@ -1,6 +1,6 @@\n"
      " [main]\n"
      "-key = value\n"
      "+key = other\n"
      " # comment: yes\n"
      " \n"
      "   indented\n"
      " quote \"x\" 'y' <&>\n"
      "...\n";
  c.assertions.push_back(content);

  auto regex = assertion("assertFileRegex", {"home-files/notes.txt", "^héllo ✓ #[0-9]+$"}, 3,
                         Status::Fail, "home-files/notes.txt: no line matches \"^héllo ✓ #[0-9]+$\"");
  regex.expected = "a line matching ^héllo ✓ #[0-9]+$\nwithout a final newline";
  regex.actual = "\tindented with a tab\ncrlf line\r\nescape \x1b[31mred\x1b[0m\n日本語 \\ back\\slash\n";
  c.assertions.push_back(regex);

  c.assertions.push_back(assertion("assertFileNotExists", {"home-files/.cache/junk"}, 4,
                                   Status::Fail, "home-files/.cache/junk exists"));
  return c;
}

CaseResult eval_error() {
  CaseResult c;
  c.name = "eval-error";
  c.file = "tests/eval-error.nix";
  c.status = Status::Error;
  c.duration = 2100ms;
  c.reason = "evaluation failed";
  c.nix_error =
      "error: attribute 'enable' missing\n"
      "\n"
      "       at /build/tests/eval-error.nix:3:5:\n"
      "\n"
      "            2|   programs.app = {\n"
      "            3|     enable = true;\n"
      "             |     ^\n"
      "       (use '--show-trace' to show detailed location information)\n";
  return c;
}

CaseResult bad_usage() {
  CaseResult c;
  c.name = "bad-usage";
  c.file = "tests/bad-usage.nix";
  c.status = Status::Error;
  c.duration = 90ms;
  c.reason = "assertFileContains needs 2 arguments, got 1";
  c.assertions.push_back(assertion("assertFileContains", {"home-files/a"}, 7, Status::Error,
                                   "assertFileContains needs 2 arguments, got 1"));
  return c;
}

CaseResult hangs() {
  CaseResult c;
  c.name = "hangs";
  c.file = "tests/hangs.nix";
  c.status = Status::Timeout;
  c.duration = 30000ms;
  c.reason = "timed out after 30s";
  return c;
}

CaseResult needs_network() {
  CaseResult c;
  c.name = "needs-network";
  c.file = "tests/needs-network.nix";
  c.status = Status::Skip;
  c.reason = "needs network";
  return c;
}

CaseResult odd_name() {
  CaseResult c;
  c.name = "odd # name \\ \"quoted\" <&> ünïcödé";
  c.file = "tests/odd name.nix";
  c.duration = 5ms;
  c.assertions.push_back(assertion("assertFileContains", {"home-files/a b", "it's \"here\" # yes"}, 1,
                                   Status::Pass, "home-files/a b contains the text"));
  return c;
}

// Verdicts from hmt's cache: a comment follows their test points.
CaseResult cached_passing() {
  CaseResult c = passing();
  c.name = "cached-passing";
  c.cached = true;
  return c;
}

CaseResult cached_failing() {
  CaseResult c = failing();
  c.name = "cached-failing";
  c.cached = true;
  return c;
}

// Completion order, as a parallel run would finish them.
std::vector<CaseResult> sample_run() {
  return {needs_network(), cached_passing(), passing(), failing(), eval_error(), odd_name(), bad_usage(), hangs(),
          cached_failing()};
}

hmt::RunInfo run_info(const std::vector<CaseResult>& cases) {
  hmt::RunInfo info;
  for (const auto& c : cases) info.case_names.push_back(c.name);
  info.started_at = "2024-05-01T12:00:00";
  return info;
}

void drive(hmt::Reporter& reporter) {
  const auto cases = sample_run();
  reporter.run_started(run_info(cases));
  hmt::RunSummary summary;
  for (const auto& c : cases) {
    reporter.case_started(c.name);
    reporter.case_finished(c);
    const bool failed = c.status != Status::Pass && c.status != Status::Skip;
    summary.passed += c.status == Status::Pass ? 1 : 0;
    summary.skipped += c.status == Status::Skip ? 1 : 0;
    summary.cached += c.cached ? 1 : 0;
    summary.failed += failed ? 1 : 0;
  }
  summary.duration = 31500ms;
  reporter.run_finished(summary);
}

// The run in completion order, with each assertion's title as the reporters
// spell it, so a consumer-side check can compare what it parsed.
nlohmann::json expected_json() {
  auto cases = nlohmann::json::array();
  for (const auto& c : sample_run()) {
    auto assertions = nlohmann::json::array();
    for (const auto& a : c.assertions) {
      nlohmann::json entry = a;
      entry["title"] = hmt::report_text::assertion_title(a);
      assertions.push_back(entry);
    }
    cases.push_back({{"name", c.name},
                     {"file", c.file},
                     {"status", std::string(hmt::to_string(c.status))},
                     {"reason", c.reason},
                     {"nix_error", c.nix_error},
                     {"assertions", assertions}});
  }
  return cases;
}

int usage() {
  std::cerr << "usage: tap_sample tap13 | tap14 | junit FILE | expected\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string mode = argv[1];
  if (mode == "tap13" || mode == "tap14") {
    hmt::TapReporter reporter(std::cout, mode == "tap14" ? 14 : 13);
    drive(reporter);
  } else if (mode == "junit" && argc == 3) {
    hmt::JunitReporter reporter(argv[2]);
    drive(reporter);
  } else if (mode == "expected") {
    std::cout << expected_json().dump(2) << '\n';
  } else {
    return usage();
  }
  return 0;
}
