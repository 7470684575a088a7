// Every report stays well-formed for each committed report_escaping fuzz
// input (its seeds and the inputs it once crashed on). The input's
// NUL-separated pieces become one failed case's name, reason, Nix error and
// failed assertion; every report must be valid UTF-8, TAP must keep exactly
// one top-level test point, each JSON line must parse, and the XML must hold
// no raw control character. The fuzz target checks the writers underneath
// at fuzzing speed; this checks the documents built from them.
#include "tests/catch.h"

#include <chrono>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/report/console_reporter.h"
#include "harness/report/html_reporter.h"
#include "harness/report/jsonl_reporter.h"
#include "harness/report/junit_reporter.h"
#include "harness/report/report_text.h"
#include "harness/report/tap_reporter.h"
#include "tests/fuzz_inputs.h"

namespace {

std::vector<std::string> pieces(std::string_view input, std::size_t count) {
  std::vector<std::string> out;
  while (out.size() + 1 < count) {
    const auto end = input.find('\0');
    if (end == std::string_view::npos) break;
    out.emplace_back(input.substr(0, end));
    input.remove_prefix(end + 1);
  }
  out.emplace_back(input);
  out.resize(count);
  return out;
}

hmt::CaseResult failed_case(std::string_view input) {
  const auto p = pieces(input, 8);
  hmt::CaseResult result;
  result.name = p[0];
  result.status = hmt::Status::Fail;
  result.reason = p[1];
  result.nix_error = p[2];
  hmt::AssertionResult assertion;
  assertion.name = "assertFileContent";
  assertion.args = {p[3], p[4]};
  assertion.status = hmt::Status::Fail;
  assertion.message = p[5];
  assertion.file = p[3];
  assertion.expected = p[6];
  assertion.actual = p[7];
  assertion.diff = p[6] + p[7];
  result.assertions = {assertion};
  return result;
}

void run(hmt::Reporter& reporter, const hmt::CaseResult& result) {
  reporter.run_started({{result.name}, "2026-01-01T00:00:00Z"});
  reporter.case_finished(result);
  reporter.run_finished({0, 1, 0, {}, false});
}

bool is_utf8(const std::string& text) { return hmt::report_text::valid_utf8(text) == text; }

int top_level_points(const std::string& tap) {
  int points = 0;
  std::istringstream lines(tap);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with("ok ") || line.starts_with("not ok ")) ++points;
  return points;
}

bool has_raw_control(const std::string& xml) {
  for (char c : xml)
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') return true;
  return false;
}

std::map<std::string, std::string> committed_inputs() {
  auto inputs = hmt::testing::fuzz_inputs("report_escaping", "corpus");
  inputs.merge(hmt::testing::fuzz_crash_inputs("report_escaping"));
  return inputs;
}

}  // namespace

TEST_CASE("reports stay well-formed for every committed fuzz input", "[reports][fuzz]") {
  const auto inputs = committed_inputs();
  REQUIRE(inputs.size() >= 3);
  for (const auto& [file, input] : inputs) {
    INFO(file);
    const auto result = failed_case(input);
    for (int version : {13, 14}) {
      std::ostringstream out;
      hmt::TapReporter tap(out, version);
      run(tap, result);
      CHECK(is_utf8(out.str()));
      CHECK(top_level_points(out.str()) == 1);
    }
    std::ostringstream console_out;
    hmt::ConsoleReporter console(console_out, /*color=*/false, /*live=*/false);
    run(console, result);
    CHECK(is_utf8(console_out.str()));

    std::ostringstream jsonl_out;
    hmt::JsonlReporter jsonl(jsonl_out);
    run(jsonl, result);
    CHECK(is_utf8(jsonl_out.str()));
    std::istringstream lines(jsonl_out.str());
    for (std::string line; std::getline(lines, line);) CHECK(nlohmann::json::accept(line));

    // The file reporters render what they collected; nothing is written.
    hmt::JunitReporter junit("unused.xml");
    junit.run_started({{result.name}, "2026-01-01T00:00:00Z"});
    junit.case_finished(result);
    const std::string xml = junit.render(std::chrono::milliseconds(0));
    CHECK(is_utf8(xml));
    CHECK_FALSE(has_raw_control(xml));
    hmt::HtmlReporter html("unused.html");
    html.run_started({{result.name}, "2026-01-01T00:00:00Z"});
    html.case_finished(result);
    CHECK(is_utf8(html.render(std::chrono::milliseconds(0))));
  }
}
