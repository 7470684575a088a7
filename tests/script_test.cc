#include "assertions/script.h"
#include "assertions/bash_script.h"

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

TEST_CASE("native and bash runs give the same verdicts") {
  Sandbox sandbox;
  const ScriptOutcome native = hmt::run_script(kMixedScript, sandbox.context);
  const ScriptOutcome bash = hmt::run_script_in_bash(kMixedScript, sandbox.context);
  CHECK(bash.assertions.size() == 7);
  check_same_verdicts(native, bash);
}

TEST_CASE("a command spread over several lines counts from its first line in both modes") {
  Sandbox sandbox;
  const std::string script =
      "assertFileExists \\\n"
      "  home-files/.config/app.conf\n"
      "# a comment's quote ' means nothing\n"
      "assertFileContains home-files/.config/app.conf 'one\n"
      "two'\n"
      "assertFileExists home-files/missing\n";
  const ScriptOutcome native = hmt::run_script(script, sandbox.context);
  CHECK(lines(native) == std::vector{1, 4, 6});
  check_same_verdicts(native, hmt::run_script_in_bash(script, sandbox.context));
}

TEST_CASE("fail records a failure and ends the script, in both modes") {
  Sandbox sandbox;
  const std::string script =
      "assertFileExists home-files/.config/app.conf\n"
      "fail \"stop\" here\n"
      "assertFileExists home-files/never-checked\n";
  const ScriptOutcome native = hmt::run_script(script, sandbox.context);
  REQUIRE(native.assertions.size() == 2);
  CHECK(native.assertions[1].name == "fail");
  CHECK(native.assertions[1].status == Status::Fail);
  CHECK(native.assertions[1].args == std::vector<std::string>{"stop", "here"});
  CHECK_FALSE(native.error.has_value());
  check_same_verdicts(native, hmt::run_script_in_bash(script, sandbox.context));
}

TEST_CASE("a failed normalizeStorePaths is a script error naming the line") {
  Sandbox sandbox;

  SECTION("in arguments the command still runs without it, as in bash") {
    const std::string script =
        "assertFileExists home-files/.config/app.conf\n"
        "assertFileContent $(normalizeStorePaths home-files/none) home-files/expected.conf\n"
        "assertFileExists home-files/.config/app.conf\n";
    const ScriptOutcome native = hmt::run_script(script, sandbox.context);
    REQUIRE(native.error.has_value());
    CHECK_THAT(*native.error, hmt::testing::Contains("demo-case, line 2: normalizeStorePaths failed"));
    CHECK_THAT(*native.error, hmt::testing::Contains("home-files/none"));
    REQUIRE(native.assertions.size() == 4);
    CHECK(native.assertions[1].name == "normalizeStorePaths");
    CHECK(native.assertions[1].status == Status::Error);
    CHECK(native.assertions[2].status == Status::Error);  // one argument short
    CHECK(native.assertions[3].status == Status::Pass);
    check_same_verdicts(native, hmt::run_script_in_bash(script, sandbox.context));
  }

  SECTION("in an assignment it ends the script, as bash -e does") {
    const std::string script =
        "actual=$(normalizeStorePaths home-files/none)\n"
        "assertFileContent $actual home-files/expected.conf\n";
    const ScriptOutcome native = hmt::run_script(script, sandbox.context);
    REQUIRE(native.error.has_value());
    CHECK_THAT(*native.error, hmt::testing::Contains("line 1: normalizeStorePaths failed"));
    REQUIRE(native.assertions.size() == 1);
    CHECK(native.assertions[0].name == "normalizeStorePaths");
    check_same_verdicts(native, hmt::run_script_in_bash(script, sandbox.context));
  }
}

TEST_CASE("echo is harmless in both modes and its output is kept") {
  Sandbox sandbox;
  const std::string script = "echo checking \"$out\"\nassertFileExists home-files/.config/app.conf\n";
  const ScriptOutcome native = hmt::run_script(script, sandbox.context);
  CHECK_FALSE(native.used_bash);
  const std::string expected = "checking " + (sandbox.root / "work").string() + "\n";
  CHECK(native.output == expected);
  const ScriptOutcome bash = hmt::run_script_in_bash(script, sandbox.context);
  CHECK(bash.output == expected);
  check_same_verdicts(native, bash);
  CHECK(hmt::why_script_needs_bash("echo -n x").has_value());
}

TEST_CASE("scripts get what nmt gives them: _abs, stdenv's substitute, local, and <(...) as expected file") {
  Sandbox sandbox;
  const std::string script = R"sh(local conf=home-files/.config/app.conf
printf 'key = @VALUE@\n' > template
VALUE=value
substitute template substituted --subst-var VALUE
assertFileContent "$(_abs $conf)" substituted
assertFileContent $conf <(printf 'key = value\n')
substituteInPlace substituted --replace-fail value other
assertFileContains "$(realpath substituted)" "key = other"
[[ $(_abs /abs/path) == /abs/path ]]
)sh";
  const ScriptOutcome outcome = hmt::run_script(script, sandbox.context);
  CHECK(outcome.used_bash);
  CHECK_FALSE(outcome.error.has_value());
  CHECK(statuses(outcome) == std::vector{Status::Pass, Status::Pass, Status::Pass});

  SECTION("--replace-fail fails when the pattern is missing") {
    const ScriptOutcome failing =
        hmt::run_script("printf 'a\\n' > f\nsubstituteInPlace f --replace-fail zzz y\nfail unreachable\n", sandbox.context);
    REQUIRE(failing.error.has_value());
    CHECK_THAT(*failing.error, hmt::testing::Contains("line 2"));
    CHECK_THAT(failing.output, hmt::testing::Contains("pattern zzz not found"));
  }
}
