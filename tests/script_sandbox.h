// Shared by the script tests: a fork+exec runner, a tested tree with one
// config file, and checks comparing the native and the bash verdicts.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/catch.h"

#include "assertions/script_support.h"
#include "process/process.h"
#include "tests/temp_dir.h"

namespace hmt::testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;


// Test-only runner (fork + exec, output in temporary files, a timeout that
// kills the child's process group) so these tests do not depend on the
// production runner.
class ForkRunner : public hmt::ProcessRunner {
 public:
  hmt::Expected<std::unique_ptr<hmt::Session>> open(const hmt::ProcessSpec&) override {
    return hmt::Error{"the fork runner keeps no sessions"};
  }

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

inline void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// A tested tree with one config file, a work dir, and a script context.
struct Sandbox {
  Sandbox() : dir("hmt-script-test-"), root(dir.path()) {
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
  TempDir dir;
  fs::path root;
  ForkRunner runner;
  hmt::ScriptContext context;
};

inline std::vector<Status> statuses(const ScriptOutcome& outcome) {
  std::vector<Status> result;
  for (const AssertionResult& a : outcome.assertions) result.push_back(a.status);
  return result;
}

inline std::vector<int> lines(const ScriptOutcome& outcome) {
  std::vector<int> result;
  for (const AssertionResult& a : outcome.assertions) result.push_back(a.line);
  return result;
}

// Everything a verdict consists of, for comparing the two modes.
inline void check_same_verdicts(const ScriptOutcome& native, const ScriptOutcome& bash) {
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

inline const std::string kMixedScript = R"(# passing and failing assertions, one line each
cfg=home-files/.config/app.conf
assertFileExists $cfg
assertFileExists home-files/.config/missing.conf
assertFileContains "$TESTED/$cfg" "key = value"
assertFileContains $cfg 'not there'
assertFileContent $(normalizeStorePaths $cfg) $TESTED/home-files/expected.conf
assertPathNotExists home-files/.config/app.conf
assertFileExists
)";

}  // namespace hmt::testing
