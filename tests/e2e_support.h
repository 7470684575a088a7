// What the end-to-end tests share: running the real hmt on the builtins-only
// fixtures under tests/fixtures, and picking test points out of its TAP.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "process/process.h"

namespace hmt::e2e {

inline const std::string kFixtures = std::string(HMT_SOURCE_ROOT) + "/tests/fixtures";

// hmt's command line over fixture sources (relative to tests/fixtures, or
// absolute), with the fixtures' evaluator and no binary cache, followed by
// `args`. The verdict cache is off (--no-cache), so that every test
// evaluates and builds what it runs, whatever ran before; the cache's own
// tests use cached_fixture_command.
inline std::vector<std::string> cached_fixture_command(const std::vector<std::string>& sources,
                                                       const std::vector<std::string>& args) {
  std::vector<std::string> argv{HMT_BINARY, "--no-default-cases", "--evaluator", kFixtures + "/evaluator.nix",
                                "--option", "substituters", ""};
  for (const auto& source : sources)
    argv.insert(argv.end(), {"--cases", source.starts_with('/') ? source : kFixtures + "/" + source});
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

inline std::vector<std::string> fixture_command(const std::vector<std::string>& sources,
                                                const std::vector<std::string>& args) {
  std::vector<std::string> with{"--no-cache"};
  with.insert(with.end(), args.begin(), args.end());
  return cached_fixture_command(sources, with);
}

// hmt on fixture sources, with `env` set on top of the test's environment.
inline ProcessResult run_fixtures(const std::vector<std::string>& sources, const std::vector<std::string>& args,
                                  const std::map<std::string, std::string>& env = {}) {
  ProcessSpec spec;
  spec.argv = fixture_command(sources, args);
  spec.timeout = std::chrono::minutes(5);
  spec.env = env;
  SystemProcessRunner runner;
  return runner.run(spec);
}

inline ProcessResult run_fixture(const std::string& source, const std::vector<std::string>& args,
                                 const std::map<std::string, std::string>& env = {}) {
  return run_fixtures({source}, args, env);
}

// The lines of text, without their line breaks.
inline std::vector<std::string_view> lines(std::string_view text) {
  std::vector<std::string_view> found;
  while (!text.empty()) {
    const auto end = text.find('\n');
    found.push_back(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return found;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
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
