#include "assertions/assert_command.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <stdlib.h>

#include "tests/catch.h"

#include "tests/script_sandbox.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using hmt::AssertionResult;
using hmt::ScriptOutcome;
using hmt::Status;
using namespace hmt::testing;

TEST_CASE("the hidden subcommands record results as JSON lines") {
  Sandbox sandbox;
  const fs::path results = sandbox.root / "work/results.jsonl";
  ::setenv("HMT_TESTED", (sandbox.root / "tested").c_str(), 1);
  ::setenv("HMT_WORK_DIR", (sandbox.root / "work").c_str(), 1);
  ::setenv("HMT_STORE_DIR", (sandbox.root / "store").c_str(), 1);
  ::setenv("HMT_RESULTS", results.c_str(), 1);
  ::setenv("HMT_LINE", "7", 1);
  auto call = [](std::vector<std::string> args) {
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    return hmt::assert_command_main(static_cast<int>(argv.size()), argv.data());
  };

  CHECK(call({"__assert", "assertFileExists", "home-files/absent"}) == 0);  // a Fail still goes on
  CHECK(call({"__assert", "noSuchAssertion", "x"}) == 2);
  CHECK(call({"__normalize", "home-files/absent"}) == 1);
  CHECK(call({"__normalize"}) == 1);
  CHECK(call({"__bogus"}) == 2);
  for (const char* name : {"HMT_TESTED", "HMT_WORK_DIR", "HMT_STORE_DIR", "HMT_RESULTS", "HMT_LINE"})
    ::unsetenv(name);

  std::ifstream file(results);
  std::vector<std::string> recorded;
  for (std::string line; std::getline(file, line);) recorded.push_back(line);
  REQUIRE(recorded.size() == 4);
  CHECK_THAT(recorded[0], hmt::testing::Contains("\"status\":\"FAIL\"") && hmt::testing::Contains("\"line\":7"));
  CHECK_THAT(recorded[1], hmt::testing::Contains("unknown command 'noSuchAssertion'"));
  CHECK_THAT(recorded[2], hmt::testing::Contains("\"name\":\"normalizeStorePaths\"") &&
                              hmt::testing::Contains("\"status\":\"ERROR\""));
  CHECK_THAT(recorded[3], hmt::testing::Contains("exactly one path"));
}
