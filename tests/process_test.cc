#include "harness/process.h"

#include <dirent.h>

#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using hmt::ProcessResult;
using hmt::ProcessSpec;
using hmt::SystemProcessRunner;

namespace {

// True when some live process has exactly this command line (NUL-joined).
bool process_with_cmdline_exists(const std::string& wanted) {
  DIR* proc = ::opendir("/proc");
  if (!proc) return false;
  bool found = false;
  while (dirent* entry = ::readdir(proc)) {
    std::string name = entry->d_name;
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in("/proc/" + name + "/cmdline", std::ios::binary);
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (cmdline == wanted) found = true;
  }
  ::closedir(proc);
  return found;
}

// A killed process takes a moment to vanish from /proc.
bool gone_soon(const std::string& cmdline) {
  for (int i = 0; i < 200; ++i) {
    if (!process_with_cmdline_exists(cmdline)) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

ProcessSpec command(std::vector<std::string> argv) {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  return spec;
}

}  // namespace

TEST_CASE("a child's stdout, stderr and exit code are captured") {
  SystemProcessRunner runner;
  ProcessResult r = runner.run(command({"sh", "-c", "echo out; echo err >&2; exit 3"}));
  CHECK(r.outcome == ProcessResult::Outcome::Exited);
  CHECK(r.exit_code == 3);
  CHECK(r.out == "out\n");
  CHECK(r.err == "err\n");
  CHECK_FALSE(r.ok());
}

TEST_CASE("arguments are passed as a vector, never through a shell") {
  SystemProcessRunner runner;
  ProcessResult r = runner.run(command({"printf", "%s|", "a b", "$HOME", "'q'"}));
  REQUIRE(r.ok());
  CHECK(r.out == "a b|$HOME|'q'|");
}

TEST_CASE("environment additions and the working directory reach the child") {
  SystemProcessRunner runner;
  ProcessSpec spec = command({"sh", "-c", "echo \"$HMT_TEST_VALUE\"; pwd"});
  spec.env["HMT_TEST_VALUE"] = "forty two";
  spec.cwd = "/";
  ProcessResult r = runner.run(spec);
  REQUIRE(r.ok());
  CHECK(r.out == "forty two\n/\n");
}

TEST_CASE("a missing program fails to start with a message naming it") {
  SystemProcessRunner runner;
  ProcessResult r = runner.run(command({"hmt-no-such-program-xyz"}));
  CHECK(r.outcome == ProcessResult::Outcome::FailedToStart);
  CHECK(r.error.find("hmt-no-such-program-xyz") != std::string::npos);
}

TEST_CASE("a timeout kills the child's whole process group") {
  SystemProcessRunner runner;
  // The grandchild would outlive a plain kill of the shell.
  ProcessSpec spec = command({"sh", "-c", "sleep 37.25 & sleep 37.25; wait"});
  spec.timeout = 300ms;
  ProcessResult r = runner.run(spec);
  CHECK(r.outcome == ProcessResult::Outcome::TimedOut);
  CHECK(r.elapsed < 10s);
  CHECK(gone_soon(std::string("sleep\0" "37.25\0", 12)));
}

TEST_CASE("leftovers of a child that exited are killed with its group") {
  SystemProcessRunner runner;
  ProcessSpec spec = command({"sh", "-c", "sleep 38.5 >/dev/null 2>&1 & exit 0"});
  ProcessResult r = runner.run(spec);
  CHECK(r.ok());
  CHECK(gone_soon(std::string("sleep\0" "38.5\0", 11)));
}

TEST_CASE("a child killed by a signal is reported as such") {
  SystemProcessRunner runner;
  ProcessResult r = runner.run(command({"sh", "-c", "kill -9 $$"}));
  CHECK(r.outcome == ProcessResult::Outcome::Signaled);
  CHECK(r.exit_code == 9);
}
