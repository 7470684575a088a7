#include "process/process.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "tests/catch.h"

#include "tests/proc_scan.h"

using namespace std::chrono_literals;
using hmt::ProcessResult;
using hmt::ProcessSpec;
using hmt::SystemProcessRunner;

namespace {

// True when some live process has exactly this command line (NUL-joined).
bool process_with_cmdline_exists(const std::string& wanted) {
  for (const auto& process : hmt::testing::running_processes())
    if (process.cmdline == wanted) return true;
  return false;
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

TEST_CASE("a variable the child inherits is replaced, not doubled, and the rest is inherited") {
  ::setenv("HMT_TEST_INHERITED", "kept", 1);
  ::setenv("HMT_TEST_REPLACED", "old", 1);
  SystemProcessRunner runner;
  ProcessSpec spec = command({"sh", "-c", "env | grep '^HMT_TEST_' | sort"});
  spec.env["HMT_TEST_REPLACED"] = "new";
  ProcessResult r = runner.run(spec);
  ::unsetenv("HMT_TEST_INHERITED");
  ::unsetenv("HMT_TEST_REPLACED");
  REQUIRE(r.ok());
  CHECK(r.out == "HMT_TEST_INHERITED=kept\nHMT_TEST_REPLACED=new\n");
}

TEST_CASE("a variable the spec unsets is not inherited") {
  ::setenv("HMT_TEST_INHERITED", "kept", 1);
  ::setenv("HMT_TEST_UNSET", "gone", 1);
  SystemProcessRunner runner;
  ProcessSpec spec = command({"sh", "-c", "env | grep '^HMT_TEST_' | sort"});
  spec.unset_env = {"HMT_TEST_UNSET"};
  ProcessResult r = runner.run(spec);
  ::unsetenv("HMT_TEST_INHERITED");
  ::unsetenv("HMT_TEST_UNSET");
  REQUIRE(r.ok());
  CHECK(r.out == "HMT_TEST_INHERITED=kept\n");
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

TEST_CASE("cancelling the runner stops the running child and every later run") {
  SystemProcessRunner runner;
  std::thread canceller([&runner] {
    std::this_thread::sleep_for(200ms);
    runner.cancellation().cancel("test interrupt");
  });
  ProcessResult running = runner.run(command({"sh", "-c", "sleep 39.25 & sleep 39.25; wait"}));
  canceller.join();
  CHECK(running.outcome == ProcessResult::Outcome::Cancelled);
  CHECK(running.elapsed < 10s);
  CHECK(gone_soon(std::string("sleep\0" "39.25\0", 12)));

  ProcessResult later = runner.run(command({"true"}));
  CHECK(later.outcome == ProcessResult::Outcome::Cancelled);
  CHECK(runner.cancellation().reason() == "test interrupt");
}

TEST_CASE("a cancellation keeps its first reason") {
  hmt::Cancellation cancellation;
  CHECK_FALSE(cancellation.requested());
  CHECK(cancellation.reason().empty());
  cancellation.cancel("first");
  cancellation.cancel("second");
  CHECK(cancellation.requested());
  CHECK(cancellation.reason() == "first");
}

TEST_CASE("a child's output is captured under TMPDIR and the capture is removed") {
  const std::filesystem::path tmp = std::filesystem::temp_directory_path() / ("hmt-process-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(tmp);
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  ::setenv("TMPDIR", tmp.c_str(), 1);
  SystemProcessRunner runner;
  ProcessResult r = runner.run(command({"sh", "-c", "ls \"$TMPDIR\""}));
  if (old) ::setenv("TMPDIR", saved.c_str(), 1); else ::unsetenv("TMPDIR");
  const bool empty_after = std::filesystem::is_empty(tmp);
  std::filesystem::remove_all(tmp);
  REQUIRE(r.ok());
  CHECK(r.out.rfind("hmt-proc-", 0) == 0);  // the capture folder, while the child ran
  CHECK(empty_after);
}

TEST_CASE("a child does not inherit hmt's ignored SIGPIPE or blocked signals") {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction previous {};
  ::sigaction(SIGPIPE, &ignore, &previous);
  sigset_t term, old_mask;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &term, &old_mask);
  SystemProcessRunner runner;
  // Fields 'SigIgn' and 'SigBlk' of /proc/self/status are hex masks: SIGPIPE
  // is bit 13, SIGTERM bit 15.
  ProcessResult r = runner.run(command({"sh", "-c", "grep -E '^Sig(Ign|Blk)' /proc/self/status"}));
  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  ::sigaction(SIGPIPE, &previous, nullptr);
  REQUIRE(r.ok());
  auto mask = [&](const std::string& field) {
    const auto at = r.out.find(field + ":");
    return at == std::string::npos ? ~0ULL : std::stoull(r.out.substr(at + field.size() + 1), nullptr, 16);
  };
  CHECK((mask("SigIgn") & (1ULL << (SIGPIPE - 1))) == 0);
  CHECK((mask("SigBlk") & (1ULL << (SIGTERM - 1))) == 0);
}

TEST_CASE("a child's peak memory is seen while it runs") {
  SystemProcessRunner runner;
  // 64 MiB touched, then held long enough to be sampled.
  ProcessResult big = runner.run(
      command({"python3", "-c", "import time; b = bytearray(64 * 1024 * 1024); time.sleep(0.3)"}));
  REQUIRE(big.ok());
  CHECK(big.peak_memory_kib >= 64 * 1024);
  ProcessResult small = runner.run(command({"sleep", "0.2"}));
  CHECK(small.peak_memory_kib > 0);
  CHECK(small.peak_memory_kib < 16 * 1024);
  CHECK(hmt::peak_memory_kib_of(-1) == 0);
}
