// End-to-end: every shape of case source home-manager uses, a source that
// cannot be loaded, and cases with errors tryEval cannot catch, through
// the real hmt and the real Nix on builtins-only fixtures.
#include <regex>
#include <string>
#include <vector>

#include "tests/catch.h"

#include "process/process.h"
#include "tests/e2e_support.h"

namespace {

using hmt::e2e::kFixtures;
using hmt::e2e::tap_point_with_block;

using hmt::e2e::run_fixtures;

}  // namespace

TEST_CASE("files, attribute sets and functions as cases, folders and files as sources") {
  auto r = run_fixtures({"shapes", "shapes-file.nix"}, {"--chunk-size", "8", "shape-file", "shape-attrs",
                                                       "shape-function", "shape-in-file"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  for (const char* name : {"shape-file", "shape-attrs", "shape-function", "shape-in-file"})
    CHECK(tap_point_with_block(r.out, name).rfind("ok ", 0) == 0);
}

TEST_CASE("listing names a file case by its file and an inline case by the file and line defining it") {
  auto r = run_fixtures({"shapes"}, {"--list", "--json", "shape-attrs", "shape-file", "shape-made*"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  const std::string listed = std::regex_replace(r.out, std::regex("\\s+"), "");
  CHECK_THAT(listed, hmt::testing::Contains("\"file\":\"" + kFixtures + "/shapes/default.nix\",\"folder\":\"" + kFixtures +
                                     "/shapes\",\"line\":7,\"name\":\"shape-attrs\""));
  CHECK_THAT(listed, hmt::testing::Contains("\"file\":\"" + kFixtures + "/shapes/file-case.nix\""));
  // Made by a function: found through the module's attributes or arguments.
  CHECK_THAT(listed, hmt::testing::Contains("\"folder\":\"" + kFixtures + "/shapes/made\",\"line\":7,\"name\":\"shape-made\""));
  CHECK_THAT(listed, hmt::testing::Contains("\"folder\":\"" + kFixtures +
                                            "/shapes/made\",\"line\":12,\"name\":\"shape-made-function\""));
}

TEST_CASE("a source that cannot be loaded is one not ok with Nix's error and the run goes on") {
  auto r = run_fixtures({"unloadable", "shapes-file.nix"}, {});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("TAP version 13\n1..2\n", 0) == 0);
  const std::string failed = tap_point_with_block(r.out, kFixtures + "/unloadable");
  CHECK(failed.rfind("not ok ", 0) == 0);
  CHECK_THAT(failed, hmt::testing::Contains("cannot load the cases of " + kFixtures + "/unloadable"));
  // Nix 2.8: "value is an integer while a set was expected"; 2.26:
  // "expected a set but found an integer: 1".
  CHECK_THAT(failed, hmt::testing::Contains("integer"));
  CHECK_THAT(failed, hmt::testing::Contains("a set"));
  CHECK(tap_point_with_block(r.out, "shape-in-file").rfind("ok ", 0) == 0);
  CHECK_THAT(r.out, !hmt::testing::Contains("Bail out!"));
}

TEST_CASE("a case with an error tryEval cannot catch fails alone, in the same evaluator, and its neighbours pass") {
  auto r = run_fixtures({"shapes"}, {"--chunk-size", "8", "--jobs", "1", "--verbose"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  const std::string aborted = tap_point_with_block(r.out, "shape-aborts");
  CHECK(aborted.rfind("not ok ", 0) == 0);
  CHECK_THAT(aborted, hmt::testing::Contains("cannot coerce an integer to a string"));
  CHECK_THAT(aborted, hmt::testing::Contains("shapes/default.nix:"));
  for (const char* name : {"shape-file", "shape-attrs", "shape-function"})
    CHECK(tap_point_with_block(r.out, name).rfind("ok ", 0) == 0);
  // One evaluator served every chunk: the error did not end it.
  CHECK_THAT(r.err, hmt::testing::Contains("(1 evaluator started)"));
  CHECK_THAT(r.err, !hmt::testing::Contains("evaluators started"));
  CHECK(r.err.find("evaluator started") == r.err.rfind("evaluator started"));
}

TEST_CASE("a case that overflows Nix's stack ends its evaluator, fails with Nix's error, and the next case runs") {
  auto r = run_fixtures({"evaluator-crash"}, {"--chunk-size", "8", "--jobs", "1", "--verbose"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  const std::string crashed = tap_point_with_block(r.out, "crash-overflows");
  CHECK(crashed.rfind("not ok ", 0) == 0);
  CHECK_THAT(crashed, hmt::testing::Contains("stack overflow"));
  CHECK(tap_point_with_block(r.out, "crash-before").rfind("ok ", 0) == 0);
  CHECK(tap_point_with_block(r.out, "crash-then").rfind("ok ", 0) == 0);
  std::size_t started = 0;
  for (std::size_t at = r.err.find("(1 evaluator started)"); at != std::string::npos;
       at = r.err.find("(1 evaluator started)", at + 1))
    ++started;
  // Nix 2.8's repl dies of it: the first evaluator and its replacement.
  // Newer Nix stops at max-call-depth with an ordinary error instead.
  CHECK(started == (crashed.find("max-call-depth") == std::string::npos ? 2 : 1));
}

TEST_CASE("case names that could unbalance a request are evaluated, none leaves the repl waiting") {
  const auto r = run_fixtures({"names"}, {"--timeout", "60", "--format", "jsonl"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  for (const char* name : {"quote \\\" and ${x}", "back \\\\ slash '' and ;", "line\\nbreak", "unclosed { ( ["})
    CHECK_THAT(r.out, hmt::testing::Contains(std::string(R"("case":")") + name + R"(","duration_ms")"));
}
