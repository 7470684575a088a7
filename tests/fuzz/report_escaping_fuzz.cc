// libFuzzer target: the TAP 13 / TAP 14 (YAML), JUnit (XML) and console
// escaping. The input's NUL-separated pieces become one case's name, reason
// and failed assertion; every report must stay valid UTF-8, TAP must keep
// exactly one top-level test point, and the XML must hold no raw control
// character.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "harness/console_reporter.h"
#include "harness/junit_reporter.h"
#include "harness/report_text.h"
#include "harness/tap_reporter.h"

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

void require_utf8(const std::string& text) {
  if (hmt::report_text::valid_utf8(text) != text) std::abort();
}

void run(hmt::Reporter& reporter, const hmt::CaseResult& result) {
  reporter.run_started({{result.name}, "2026-01-01T00:00:00Z"});
  reporter.case_finished(result);
  reporter.run_finished({0, 1, 0, {}, false});
}

int top_level_points(const std::string& tap) {
  int points = 0;
  std::istringstream lines(tap);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with("ok ") || line.starts_with("not ok ")) ++points;
  return points;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto p = pieces({reinterpret_cast<const char*>(data), size}, 8);
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

  for (int version : {13, 14}) {
    std::ostringstream out;
    hmt::TapReporter tap(out, version);
    run(tap, result);
    require_utf8(out.str());
    if (top_level_points(out.str()) != 1) std::abort();
  }
  {
    std::ostringstream out;
    hmt::ConsoleReporter console(out, /*color=*/false, /*live=*/false);
    run(console, result);
    require_utf8(out.str());
  }
  static const std::string junit_path =
      (std::filesystem::temp_directory_path() / ("hmt-junit-fuzz-" + std::to_string(::getpid()) + ".xml")).string();
  {
    std::ostringstream errors;
    hmt::JunitReporter junit(junit_path, errors);
    run(junit, result);
  }
  std::ifstream in(junit_path, std::ios::binary);
  const std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  require_utf8(xml);
  for (char c : xml)
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') std::abort();
  return 0;
}
