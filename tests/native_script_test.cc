#include "assertions/native_script.h"
#include "assertions/script.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/catch.h"

#include "tests/script_sandbox.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using hmt::AssertionResult;
using hmt::ScriptOutcome;
using hmt::Status;
using namespace hmt::testing;

TEST_CASE("a script in the subset runs natively and passes") {
  Sandbox sandbox;
  const std::string script =
      "assertFileExists home-files/.config/app.conf\n"
      "assertFileContains home-files/.config/app.conf 'key = value'\n"
      "assertFileContent \\\n"
      "  home-files/.config/app.conf \\\n"
      "  ${TESTED}/home-files/expected.conf\n"
      "assertPathNotExists home-files/.config/other.conf\n";
  CHECK_FALSE(hmt::why_script_needs_bash(script).has_value());
  const ScriptOutcome outcome = hmt::run_script(script, sandbox.context);
  CHECK_FALSE(outcome.used_bash);
  CHECK(sandbox.runner.runs == 0);
  CHECK_FALSE(outcome.error.has_value());
  CHECK(statuses(outcome) == std::vector{Status::Pass, Status::Pass, Status::Pass, Status::Pass});
  CHECK(lines(outcome) == std::vector{1, 2, 3, 6});
  CHECK(outcome.assertions[2].args ==
        std::vector<std::string>{"home-files/.config/app.conf",
                                 (sandbox.root / "tested/home-files/expected.conf").string()});
  CHECK(hmt::case_status(outcome) == Status::Pass);
}

TEST_CASE("every failing assertion is reported, in order") {
  Sandbox sandbox;
  const ScriptOutcome outcome = hmt::run_script(kMixedScript, sandbox.context);
  CHECK_FALSE(outcome.used_bash);
  CHECK_FALSE(outcome.error.has_value());
  CHECK(statuses(outcome) == std::vector{Status::Pass, Status::Fail, Status::Pass, Status::Fail,
                                         Status::Pass, Status::Fail, Status::Error});
  CHECK(lines(outcome) == std::vector{3, 4, 5, 6, 7, 8, 9});
  CHECK(outcome.assertions[1].name == "assertFileExists");
  CHECK(outcome.assertions[1].args == std::vector<std::string>{"home-files/.config/missing.conf"});
  // normalizeStorePaths handed the assertion its copy in the work dir.
  CHECK(outcome.assertions[4].args.front() ==
        (sandbox.root / "work/normalized/app.conf").string());
  CHECK(fs::exists(sandbox.root / "work/normalized/app.conf"));
  CHECK(hmt::case_status(outcome) == Status::Error);
}

TEST_CASE("variables the script does not set come from bash's environment") {
  CHECK_FALSE(hmt::why_script_needs_bash("x=$TESTED/a\nassertFileExists $x $out ${NIX_STORE}").has_value());
  CHECK_THAT(hmt::why_script_needs_bash("assertFileExists $HOME/x").value_or(""),
             hmt::testing::Contains("$HOME"));
  CHECK_THAT(hmt::why_script_needs_bash("assertFileExists $later\nlater=1").value_or(""),
             hmt::testing::Contains("line 1: $later"));
}

TEST_CASE("native_obstacle names the first construct outside the subset") {
  CHECK_FALSE(hmt::native_obstacle(hmt::shell::parse_script("a=1\necho found $a\nassertFileExists $a\n")));
  const auto other = hmt::native_obstacle(hmt::shell::parse_script("assertFileExists x\ngrep y z\n"));
  REQUIRE(other.has_value());
  CHECK(other->line == 2);
  CHECK(other->reason == "the command 'grep' (not an assertion)");
  CHECK(hmt::native_obstacle(hmt::shell::parse_script("$cmd x\n"))->reason ==
        "a command name that is expanded");
  CHECK(hmt::native_obstacle(hmt::shell::parse_script("echo -e x\n"))->reason ==
        "echo with a possible option");
}

TEST_CASE("run_script_natively runs a parsed script without bash") {
  Sandbox sandbox;
  const auto parsed = hmt::shell::parse_script(
      "f=home-files/.config/app.conf\necho \"$f\"\nassertFileExists $f\nfail stop\nassertFileExists $f\n");
  const ScriptOutcome outcome = hmt::run_script_natively(parsed, sandbox.context);
  CHECK(sandbox.runner.runs == 0);
  CHECK(outcome.output == "home-files/.config/app.conf\n");
  CHECK(statuses(outcome) == std::vector{Status::Pass, Status::Fail});  // fail ends the script
}
