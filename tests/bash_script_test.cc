#include "assertions/bash_script.h"
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

TEST_CASE("an unknown command is an error naming the case, the line and the command") {
  Sandbox sandbox;
  const std::string script =
      "assertFileExists home-files/.config/app.conf\n"
      "assertFileExist home-files/.config/app.conf\n"
      "assertFileExists home-files/.config/app.conf\n";
  CHECK_THAT(hmt::why_script_needs_bash(script).value_or(""),
             hmt::testing::Contains("line 2: the command 'assertFileExist'"));
  const ScriptOutcome outcome = hmt::run_script(script, sandbox.context);
  CHECK(outcome.used_bash);
  REQUIRE(outcome.error.has_value());
  CHECK_THAT(*outcome.error, hmt::testing::Contains("demo-case, line 2"));
  CHECK_THAT(*outcome.error, hmt::testing::Contains("unknown command 'assertFileExist'"));
  // Like any failing command under bash -e, it ends the script.
  REQUIRE(outcome.assertions.size() == 2);
  CHECK(outcome.assertions[0].status == Status::Pass);
  CHECK(outcome.assertions[1].name == "assertFileExist");
  CHECK(outcome.assertions[1].status == Status::Error);
  CHECK(outcome.assertions[1].line == 2);
  CHECK(hmt::case_status(outcome) == Status::Error);
}

TEST_CASE("if and for run under bash with hmt's assertions") {
  Sandbox sandbox;
  const std::string loop = R"(for f in app.conf missing.conf; do
  if [[ $f == app.conf ]]; then
    assertFileExists home-files/.config/$f
  else
    assertPathNotExists home-files/.config/$f
  fi
  assertFileContains home-files/.config/$f "key = value"
done
)";
  CHECK_THAT(hmt::why_script_needs_bash(loop).value_or(""), hmt::testing::Contains("line 1"));
  const ScriptOutcome bash = hmt::run_script(loop, sandbox.context);
  CHECK(bash.used_bash);
  CHECK_FALSE(bash.error.has_value());
  CHECK(statuses(bash) == std::vector{Status::Pass, Status::Pass, Status::Pass, Status::Fail});
  CHECK(lines(bash) == std::vector{3, 7, 5, 7});

  // The same checks written out straight run natively to the same verdicts.
  const std::string straight =
      "assertFileExists home-files/.config/app.conf\n"
      "assertFileContains home-files/.config/app.conf \"key = value\"\n"
      "assertPathNotExists home-files/.config/missing.conf\n"
      "assertFileContains home-files/.config/missing.conf \"key = value\"\n";
  const ScriptOutcome native = hmt::run_script(straight, sandbox.context);
  CHECK_FALSE(native.used_bash);
  REQUIRE(native.assertions.size() == bash.assertions.size());
  for (std::size_t i = 0; i < native.assertions.size(); ++i) {
    CHECK(native.assertions[i].name == bash.assertions[i].name);
    CHECK(native.assertions[i].args == bash.assertions[i].args);
    CHECK(native.assertions[i].status == bash.assertions[i].status);
    CHECK(native.assertions[i].message == bash.assertions[i].message);
  }
}

TEST_CASE("a bash syntax error is reported before anything runs") {
  Sandbox sandbox;
  const std::string script =
      "assertFileExists home-files/.config/app.conf\n"
      "if [[ -e $TESTED ]]; then\n"
      "  assertFileExists home-files/.config/app.conf\n";
  const ScriptOutcome outcome = hmt::run_script(script, sandbox.context);
  CHECK(outcome.used_bash);
  REQUIRE(outcome.error.has_value());
  CHECK_THAT(*outcome.error, hmt::testing::StartsWith("demo-case: syntax error in nmt.script: line 4"));
  CHECK_THAT(*outcome.error, hmt::testing::Contains("unexpected end of file"));
  CHECK_THAT(*outcome.error, !hmt::testing::Contains("hmt-bash-"));  // no scratch path
  CHECK(outcome.assertions.empty());
}

TEST_CASE("a failing command under set -e stops the script with its line and status") {
  Sandbox sandbox;

  SECTION("a plain command") {
    const std::string script =
        "assertFileExists home-files/.config/app.conf\n"
        "grep -q 'no such text' \"$TESTED/home-files/.config/app.conf\"\n"
        "assertFileExists home-files/.config/app.conf\n";
    const ScriptOutcome outcome = hmt::run_script(script, sandbox.context);
    CHECK(outcome.used_bash);
    CHECK(statuses(outcome) == std::vector{Status::Pass});
    REQUIRE(outcome.error.has_value());
    CHECK(*outcome.error == "demo-case: script failed at line 2 with status 1");
  }

  SECTION("a pipeline, inside a function, with stderr in the message") {
    const std::string script =
        "check() {\n"
        "  cat \"$TESTED/home-files/nothing\" | sort\n"
        "}\n"
        "assertFileExists home-files/.config/app.conf\n"
        "check\n";
    const ScriptOutcome outcome = hmt::run_script(script, sandbox.context);
    CHECK(statuses(outcome) == std::vector{Status::Pass});
    REQUIRE(outcome.error.has_value());
    CHECK_THAT(*outcome.error, hmt::testing::StartsWith("demo-case: script failed at line 2 with status 1: "));
    CHECK_THAT(*outcome.error, hmt::testing::Contains("No such file or directory"));
    CHECK_THAT(outcome.output, hmt::testing::Contains("No such file or directory"));
  }

  SECTION("an exit without a recorded line") {
    const ScriptOutcome outcome = hmt::run_script("echo bye >&2; exit 3\n", sandbox.context);
    REQUIRE(outcome.error.has_value());
    CHECK(*outcome.error == "demo-case: script exited with status 3: bye");
  }
}

TEST_CASE("results keep the order the script produced them in") {
  Sandbox sandbox;
  const std::string script =
      "for i in 1 2 3 4 5 6; do\n"
      "  if (( i % 2 )); then assertFileExists home-files/.config/app.conf\n"
      "  else assertFileExists home-files/$i; fi\n"
      "done\n";
  const ScriptOutcome outcome = hmt::run_script(script, sandbox.context);
  REQUIRE(outcome.assertions.size() == 6);
  for (int i = 0; i < 6; ++i) {
    INFO("iteration " << i + 1);
    const bool odd = i % 2 == 0;
    CHECK(outcome.assertions[i].status == (odd ? Status::Pass : Status::Fail));
    if (!odd) CHECK(outcome.assertions[i].args.front() == "home-files/" + std::to_string(i + 1));
  }
}

TEST_CASE("a script that runs too long times out") {
  Sandbox sandbox;
  sandbox.context.timeout = 300ms;
  const auto started = std::chrono::steady_clock::now();
  const ScriptOutcome outcome =
      hmt::run_script("assertFileExists home-files/.config/app.conf\nsleep 20\n", sandbox.context);
  CHECK(std::chrono::steady_clock::now() - started < 10s);
  REQUIRE(outcome.error.has_value());
  CHECK(*outcome.error == "demo-case: script timed out after 300ms");
  CHECK(statuses(outcome) == std::vector{Status::Pass});  // what ran before still counts
}

TEST_CASE("a script needing bash without a runner is an error, not a crash") {
  Sandbox sandbox;
  sandbox.context.runner = nullptr;
  const ScriptOutcome outcome = hmt::run_script("if true; then :; fi\n", sandbox.context);
  REQUIRE(outcome.error.has_value());
  CHECK_THAT(*outcome.error, hmt::testing::Contains("needs bash"));
  // A native script does not need one.
  CHECK_FALSE(hmt::run_script("assertFileExists home-files/.config/app.conf", sandbox.context)
                  .error.has_value());
}

TEST_CASE("TMPDIR is the case's own scratch folder, and paths under it are legal, as under nmt") {
  Sandbox sandbox;
  // home-manager's zed tests run an activation script with HOME there.
  const std::string script = R"(export HOME=$TMPDIR/hm-user
mkdir -p "$HOME/.config/zed"
echo '{}' >"$HOME/.config/zed/debug.json"
assertFileExists "$HOME/.config/zed/debug.json"
assertFileContains "$HOME/.config/zed/debug.json" '{}'
)";
  const ScriptOutcome outcome = hmt::run_script(script, sandbox.context);
  CHECK(outcome.used_bash);
  CHECK_FALSE(outcome.error.has_value());
  CHECK(statuses(outcome) == std::vector{Status::Pass, Status::Pass});
  CHECK(fs::exists(sandbox.root / "work/hm-user/.config/zed/debug.json"));
  // The native interpreter knows $TMPDIR too.
  const ScriptOutcome native = hmt::run_script("assertPathNotExists $TMPDIR/hm-user/nothing\n", sandbox.context);
  CHECK_FALSE(native.used_bash);
  CHECK(statuses(native) == std::vector{Status::Pass});
}

TEST_CASE("links into the input roots are followed under bash too") {
  Sandbox sandbox;
  write(sandbox.root / "checkout/plugins/a.zip", "zip\n");
  fs::create_symlink(sandbox.root / "checkout/plugins/a.zip", sandbox.root / "tested/home-files/a.zip");
  const std::string script = "if true; then assertFileExists home-files/a.zip; fi\n";
  CHECK(statuses(hmt::run_script(script, sandbox.context)) == std::vector{Status::Error});
  sandbox.context.assertion.input_roots = {sandbox.root / "checkout"};
  const ScriptOutcome outcome = hmt::run_script(script, sandbox.context);
  CHECK(outcome.used_bash);
  CHECK(statuses(outcome) == std::vector{Status::Pass});
}
