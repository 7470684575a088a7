#include "assertions/script.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "process/process.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using hmt::AssertionResult;
using hmt::ScriptOutcome;
using hmt::Status;

namespace {

// Test-only runner (fork + exec, output in temporary files, a timeout that
// kills the child's process group) so these tests do not depend on the
// production runner.
class ForkRunner : public hmt::ProcessRunner {
 public:
  hmt::ProcessResult run(const hmt::ProcessSpec& spec) override {
    ++runs;
    hmt::ProcessResult result;
    std::unique_ptr<FILE, int (*)(FILE*)> out(std::tmpfile(), &std::fclose);
    std::unique_ptr<FILE, int (*)(FILE*)> err(std::tmpfile(), &std::fclose);
    std::vector<char*> argv;
    for (const std::string& arg : spec.argv) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);

    const pid_t pid = ::fork();
    if (pid == 0) {
      ::setpgid(0, 0);
      const int null = ::open("/dev/null", O_RDONLY);
      ::dup2(null, 0);
      ::dup2(::fileno(out.get()), 1);
      ::dup2(::fileno(err.get()), 2);
      if (spec.cwd && ::chdir(spec.cwd->c_str()) != 0) ::_exit(126);
      for (const auto& [key, value] : spec.env) ::setenv(key.c_str(), value.c_str(), 1);
      ::execvp(argv[0], argv.data());
      ::_exit(127);
    }

    const auto deadline = std::chrono::steady_clock::now() + spec.timeout.value_or(1h);
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() >= deadline) {
        ::kill(-pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        result.outcome = hmt::ProcessResult::Outcome::TimedOut;
        return result;
      }
      std::this_thread::sleep_for(5ms);
    }
    result.exit_code = WEXITSTATUS(status);
    result.out = read_all(out.get());
    result.err = read_all(err.get());
    return result;
  }

  int runs = 0;

 private:
  static std::string read_all(FILE* file) {
    std::rewind(file);
    std::string text;
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, file)) text.append(buffer, n);
    return text;
  }
};

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// A tested tree with one config file, a work dir, and a script context.
struct Sandbox {
  Sandbox() {
    std::string pattern = (fs::temp_directory_path() / "hmt-script-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()));
    root = pattern;
    write(root / "tested/home-files/.config/app.conf", "key = value\n");
    write(root / "tested/home-files/expected.conf", "key = value\n");
    fs::create_directories(root / "work");
    fs::create_directories(root / "store");
    context.assertion.tested = root / "tested";
    context.assertion.work_dir = root / "work";
    context.assertion.store_dir = root / "store";
    context.case_name = "demo-case";
    context.helper = HMT_ASSERT_HELPER;
    context.runner = &runner;
    context.timeout = 30s;
  }
  ~Sandbox() {
    std::error_code ignored;
    fs::remove_all(root, ignored);
  }
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  fs::path root;
  ForkRunner runner;
  hmt::ScriptContext context;
};

std::vector<Status> statuses(const ScriptOutcome& outcome) {
  std::vector<Status> result;
  for (const AssertionResult& a : outcome.assertions) result.push_back(a.status);
  return result;
}

std::vector<int> lines(const ScriptOutcome& outcome) {
  std::vector<int> result;
  for (const AssertionResult& a : outcome.assertions) result.push_back(a.line);
  return result;
}

// Everything a verdict consists of, for comparing the two modes.
void check_same_verdicts(const ScriptOutcome& native, const ScriptOutcome& bash) {
  CHECK_FALSE(native.used_bash);
  CHECK(bash.used_bash);
  CHECK(native.error == bash.error);
  CHECK(hmt::case_status(native) == hmt::case_status(bash));
  REQUIRE(native.assertions.size() == bash.assertions.size());
  for (std::size_t i = 0; i < native.assertions.size(); ++i) {
    const AssertionResult& n = native.assertions[i];
    const AssertionResult& b = bash.assertions[i];
    INFO("assertion " << i << ": " << n.name << " / " << b.name);
    CHECK(n.name == b.name);
    CHECK(n.args == b.args);
    CHECK(n.line == b.line);
    CHECK(n.status == b.status);
    CHECK(n.message == b.message);
    CHECK(n.file == b.file);
  }
}

const std::string kMixedScript = R"(# passing and failing assertions, one line each
cfg=home-files/.config/app.conf
assertFileExists $cfg
assertFileExists home-files/.config/missing.conf
assertFileContains "$TESTED/$cfg" "key = value"
assertFileContains $cfg 'not there'
assertFileContent $(normalizeStorePaths $cfg) $TESTED/home-files/expected.conf
assertPathNotExists home-files/.config/app.conf
assertFileExists
)";

}  // namespace

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
    CHECK_THAT(*native.error, Catch::Contains("demo-case, line 2: normalizeStorePaths failed"));
    CHECK_THAT(*native.error, Catch::Contains("home-files/none"));
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
    CHECK_THAT(*native.error, Catch::Contains("line 1: normalizeStorePaths failed"));
    REQUIRE(native.assertions.size() == 1);
    CHECK(native.assertions[0].name == "normalizeStorePaths");
    check_same_verdicts(native, hmt::run_script_in_bash(script, sandbox.context));
  }
}

TEST_CASE("an unknown command is an error naming the case, the line and the command") {
  Sandbox sandbox;
  const std::string script =
      "assertFileExists home-files/.config/app.conf\n"
      "assertFileExist home-files/.config/app.conf\n"
      "assertFileExists home-files/.config/app.conf\n";
  CHECK_THAT(hmt::why_script_needs_bash(script).value_or(""),
             Catch::Contains("line 2: the command 'assertFileExist'"));
  const ScriptOutcome outcome = hmt::run_script(script, sandbox.context);
  CHECK(outcome.used_bash);
  REQUIRE(outcome.error.has_value());
  CHECK_THAT(*outcome.error, Catch::Contains("demo-case, line 2"));
  CHECK_THAT(*outcome.error, Catch::Contains("unknown command 'assertFileExist'"));
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
  CHECK_THAT(hmt::why_script_needs_bash(loop).value_or(""), Catch::Contains("line 1"));
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
  CHECK_THAT(*outcome.error, Catch::StartsWith("demo-case: syntax error in nmt.script: line 4"));
  CHECK_THAT(*outcome.error, Catch::Contains("unexpected end of file"));
  CHECK_THAT(*outcome.error, !Catch::Contains("hmt-bash-"));  // no scratch path
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
    CHECK_THAT(*outcome.error, Catch::StartsWith("demo-case: script failed at line 2 with status 1: "));
    CHECK_THAT(*outcome.error, Catch::Contains("No such file or directory"));
    CHECK_THAT(outcome.output, Catch::Contains("No such file or directory"));
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

TEST_CASE("variables the script does not set come from bash's environment") {
  CHECK_FALSE(hmt::why_script_needs_bash("x=$TESTED/a\nassertFileExists $x $out ${NIX_STORE}").has_value());
  CHECK_THAT(hmt::why_script_needs_bash("assertFileExists $HOME/x").value_or(""),
             Catch::Contains("$HOME"));
  CHECK_THAT(hmt::why_script_needs_bash("assertFileExists $later\nlater=1").value_or(""),
             Catch::Contains("line 1: $later"));
}

TEST_CASE("a script needing bash without a runner is an error, not a crash") {
  Sandbox sandbox;
  sandbox.context.runner = nullptr;
  const ScriptOutcome outcome = hmt::run_script("if true; then :; fi\n", sandbox.context);
  REQUIRE(outcome.error.has_value());
  CHECK_THAT(*outcome.error, Catch::Contains("needs bash"));
  // A native script does not need one.
  CHECK_FALSE(hmt::run_script("assertFileExists home-files/.config/app.conf", sandbox.context)
                  .error.has_value());
}

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
  CHECK_THAT(recorded[0], Catch::Contains("\"status\":\"FAIL\"") && Catch::Contains("\"line\":7"));
  CHECK_THAT(recorded[1], Catch::Contains("unknown command 'noSuchAssertion'"));
  CHECK_THAT(recorded[2], Catch::Contains("\"name\":\"normalizeStorePaths\"") &&
                              Catch::Contains("\"status\":\"ERROR\""));
  CHECK_THAT(recorded[3], Catch::Contains("exactly one path"));
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
    CHECK_THAT(*failing.error, Catch::Contains("line 2"));
    CHECK_THAT(failing.output, Catch::Contains("pattern zzz not found"));
  }
}
