// What the end-to-end tests share: running the real hmt on the builtins-only
// fixtures under tests/fixtures, and picking test points out of its TAP.
#pragma once

#include <chrono>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "process/process.h"

namespace hmt::e2e {

inline const std::string kFixtures = std::string(HMT_SOURCE_ROOT) + "/tests/fixtures";

// hmt with the fixtures' evaluator and no binary cache, followed by `args`,
// with `env` set on top of the test's environment.
inline ProcessResult run_hmt_with(const std::vector<std::string>& args,
                                  const std::map<std::string, std::string>& env = {}) {
  ProcessSpec spec;
  spec.argv = {HMT_BINARY, "--no-default-cases", "--evaluator", kFixtures + "/evaluator.nix",
               "--option", "substituters", ""};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.timeout = std::chrono::minutes(5);
  spec.env = env;
  SystemProcessRunner runner;
  return runner.run(spec);
}

// hmt on the fixture folder `source` (relative to tests/fixtures).
inline ProcessResult run_fixture(const std::string& source, std::vector<std::string> args,
                                 const std::map<std::string, std::string>& env = {}) {
  args.insert(args.begin(), {"--cases", kFixtures + "/" + source});
  return run_hmt_with(args, env);
}

// The test point line of case `name` in a TAP stream, or "".
inline std::string tap_point(const std::string& tap, const std::string& name) {
  std::smatch m;
  const std::regex line("(?:^|\n)((?:not )?ok \\d+ - " + name + "(?: #[^\n]*)?)(?:\n|$)");
  return std::regex_search(tap, m, line) ? m[1].str() : "";
}

// The TAP 13 test point of case `name` with its YAML block, or "".
inline std::string tap_point_with_block(const std::string& tap, const std::string& name) {
  std::smatch m;
  const std::regex point("(?:^|\n)((?:not )?ok \\d+ - " + name + "\n(?:  [^\n]*\n)*)");
  return std::regex_search(tap, m, point) ? m[1].str() : "";
}

}  // namespace hmt::e2e
