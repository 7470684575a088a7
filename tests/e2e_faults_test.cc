// End-to-end: however hmt ends (a stop signal, SIGKILL, a closed stdout),
// no process it started and no temporary file of its run is left. Each run
// gets a fresh TMPDIR, which must be empty afterwards, and a fresh marker
// that every process of the run carries in its environment: hmt, Nix, and
// the builders of the fault fixtures (tests/fixtures/faults).
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/catch.h"

#include "tests/e2e_support.h"
#include "tests/proc_scan.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using hmt::e2e::read_file;

// Live processes whose environment holds `needle`, with their command lines.
std::vector<std::string> processes_with_environment(const std::string& needle) {
  std::vector<std::string> found;
  for (auto& process : hmt::testing::running_processes()) {
    if (process.environ.find(needle) == std::string::npos) continue;
    for (char& c : process.cmdline)
      if (c == '\0') c = ' ';
    found.push_back(std::to_string(process.pid) + ": " + process.cmdline);
  }
  return found;
}

template <class Predicate>
bool soon(Predicate holds, std::chrono::milliseconds limit) {
  for (auto waited = 0ms; waited < limit; waited += 50ms) {
    if (holds()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return holds();
}

// One hmt run on the fault fixtures, in a folder of its own: tmp/ is its
// TMPDIR, stderr goes to a file, stdout to a file or a given descriptor.
// Whatever happens to the test, hmt is killed and the folder removed.
class FaultRun {
 public:
  FaultRun() {
    static int count = 0;
    marker_ = fmt_marker(++count);
    folder_ = fs::temp_directory_path() / marker_;
    fs::create_directories(folder_ / "tmp");
    ::mkfifo((folder_ / "fifo").c_str(), 0600);
  }
  ~FaultRun() {
    if (pid_ > 0 && !status_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    soon([&] { return leftovers().empty(); }, 10s);
    fs::remove_all(folder_);
  }
  FaultRun(const FaultRun&) = delete;
  FaultRun& operator=(const FaultRun&) = delete;

  void start(const std::vector<std::string>& args, int stdout_fd = -1) {
    std::vector<std::string> argv = hmt::e2e::fixture_command({"faults"}, args);
    const fs::path out = folder_ / "stdout", err = folder_ / "stderr";
    pid_ = ::fork();
    if (pid_ != 0) return;
    ::setenv("TMPDIR", (folder_ / "tmp").c_str(), 1);
    ::setenv("HMT_TEST_MARKER", marker_.c_str(), 1);
    ::setenv("HMT_TEST_FIFO", (folder_ / "fifo").c_str(), 1);
    constexpr int kFlags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
    ::dup2(stdout_fd >= 0 ? stdout_fd : ::open(out.c_str(), kFlags, 0644), STDOUT_FILENO);
    ::dup2(::open(err.c_str(), kFlags, 0644), STDERR_FILENO);
    std::vector<char*> c_argv;
    for (auto& a : argv) c_argv.push_back(a.data());
    c_argv.push_back(nullptr);
    ::execv(HMT_BINARY, c_argv.data());
    ::_exit(127);
  }

  // True once the hung builder runs, i.e. hmt has a build worth orphaning.
  bool builder_running(const std::string& sleep_seconds = "3600") {
    for (const auto& p : processes_with_environment("hmtTestMarker=" + marker_))
      if (p.find("/bin/sleep " + sleep_seconds) != std::string::npos) return true;
    return false;
  }
  bool wait_for_builder() {
    return soon([&] { return builder_running(); }, 120s);
  }

  void signal(int sig) { ::kill(pid_, sig); }

  // hmt's wait status, or nullopt when it is still running after `limit`.
  std::optional<int> wait(std::chrono::milliseconds limit = 60s) {
    soon([&] {
      int status = 0;
      if (!status_ && ::waitpid(pid_, &status, WNOHANG) == pid_) status_ = status;
      return status_.has_value();
    }, limit);
    return status_;
  }

  // Processes of this run still alive, and files left in its TMPDIR.
  std::vector<std::string> leftovers() {
    std::vector<std::string> left = processes_with_environment(marker_);
    for (const auto& entry : fs::directory_iterator(folder_ / "tmp")) left.push_back(entry.path().string());
    return left;
  }
  // Cleaning up takes a moment after hmt itself is gone (the watchdog's grace).
  std::vector<std::string> leftovers_after_cleanup() {
    soon([&] { return leftovers().empty(); }, 15s);
    return leftovers();
  }

  std::string out() const { return read_file(folder_ / "stdout"); }
  std::string err() const { return read_file(folder_ / "stderr"); }

 private:
  static std::string fmt_marker(int count) {
    return "hmt-e2e-faults-" + std::to_string(::getpid()) + "-" + std::to_string(count) + "-" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  }

  std::string marker_;
  fs::path folder_;
  pid_t pid_ = -1;
  std::optional<int> status_;
};

}  // namespace

TEST_CASE("a closed stdout ends the run cleanly: message, exit 2, no process or temporary file left") {
  int ends[2];
  REQUIRE(::pipe2(ends, O_CLOEXEC) == 0);  // hmt gets the write end as its stdout, nothing else
  FaultRun run;
  // The slow case's result is written while the hung build still runs.
  run.start({"--jobs", "2", "--chunk-size", "1", "--timeout", "600", "hangs-building", "slow"}, ends[1]);
  ::close(ends[1]);
  const bool started = run.wait_for_builder();
  ::close(ends[0]);  // like `hmt | head -n0`, before anything was read
  REQUIRE(started);
  const auto status = run.wait();
  INFO("stderr:\n" << run.err());
  REQUIRE(status);
  REQUIRE(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 2);
  CHECK(run.err().find("cannot write the TAP report: Broken pipe") != std::string::npos);
  CHECK(run.leftovers_after_cleanup().empty());
}

TEST_CASE("each stop signal ends the run with 128 + its number, leaving no process or temporary file") {
  for (auto [sig, name] : {std::pair{SIGHUP, "SIGHUP"}, std::pair{SIGINT, "SIGINT"}, std::pair{SIGQUIT, "SIGQUIT"},
                           std::pair{SIGTERM, "SIGTERM"}}) {
    SECTION(name) {
      FaultRun run;
      run.start({"--timeout", "600", "hangs-building"});
      const bool started = run.wait_for_builder();
      run.signal(sig);
      REQUIRE(started);
      const auto status = run.wait();
      INFO("stdout:\n" << run.out() << "\nstderr:\n" << run.err());
      REQUIRE(status);
      REQUIRE(WIFEXITED(*status));
      CHECK(WEXITSTATUS(*status) == 128 + sig);
      CHECK(run.out().find("not ok 1 - hangs-building") != std::string::npos);
      CHECK(run.out().find(std::string("Bail out! interrupted (hmt received ") + name) != std::string::npos);
      CHECK(run.leftovers_after_cleanup().empty());
    }
  }
}

TEST_CASE("a SIGKILLed hmt leaves no process or temporary file behind") {
  FaultRun run;
  run.start({"--timeout", "600", "hangs-building"});
  const bool started = run.wait_for_builder();
  run.signal(SIGKILL);
  REQUIRE(started);
  const auto status = run.wait();
  REQUIRE(status);
  CHECK(WIFSIGNALED(*status));
  CHECK(run.leftovers_after_cleanup().empty());
}

TEST_CASE("a run that ends normally leaves its TMPDIR as it found it") {
  FaultRun run;
  run.start({"slow"});
  const auto status = run.wait();
  INFO("stdout:\n" << run.out() << "\nstderr:\n" << run.err());
  REQUIRE(status);
  REQUIRE(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
  CHECK(run.leftovers().empty());
}

TEST_CASE("a hung evaluation spends its time limit once and is reported as a timeout") {
  FaultRun run;
  const auto started = std::chrono::steady_clock::now();
  run.start({"--timeout", "6", "hangs-evaluating"});
  const auto status = run.wait();
  const auto took = std::chrono::steady_clock::now() - started;
  INFO("stdout:\n" << run.out() << "\nstderr:\n" << run.err());
  REQUIRE(status);
  REQUIRE(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 1);
  CHECK(run.out().find("not ok 1 - hangs-evaluating") != std::string::npos);
  CHECK(run.out().find("evaluating the case timed out") != std::string::npos);
  // Once 6 s, not the chunk's 6 s and then the case's own 6 s again, which
  // takes 12 s at least however fast the machine; starting Nix and
  // cleaning up fit in the rest, even on a loaded machine.
  CHECK(took < 12s);
  CHECK(run.leftovers_after_cleanup().empty());
}

TEST_CASE("a reader that goes away stops the run at once, even while a build hangs") {
  int ends[2];
  REQUIRE(::pipe2(ends, O_CLOEXEC) == 0);
  FaultRun run;
  run.start({"--format", "jsonl", "--timeout", "600", "hangs-building"}, ends[1]);
  ::close(ends[1]);
  const bool started = run.wait_for_builder();
  // Like `hmt --format jsonl | head -c 30`: read a little, then go.
  char some[30];
  CHECK(::read(ends[0], some, sizeof some) > 0);
  ::close(ends[0]);
  REQUIRE(started);
  const auto closed_at = std::chrono::steady_clock::now();
  const auto status = run.wait(30s);
  INFO("stderr:\n" << run.err());
  REQUIRE(status);
  CHECK(std::chrono::steady_clock::now() - closed_at < 15s);
  REQUIRE(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 2);
  CHECK(run.leftovers_after_cleanup().empty());
}

TEST_CASE("a case evaluated behind a hung one is taken by the idle worker") {
  FaultRun run;
  // One chunk holds both; the first never finishes evaluating.
  run.start({"--jobs", "2", "--timeout", "600", "hangs-evaluating", "slow"});
  const bool reported = soon([&] { return run.out().find("ok 2 - slow\n") != std::string::npos ||
                                          run.out().find("ok 1 - slow\n") != std::string::npos; },
                             60s);
  run.signal(SIGTERM);
  const auto status = run.wait();
  INFO("stdout:\n" << run.out() << "\nstderr:\n" << run.err());
  CHECK(reported);
  REQUIRE(status);
  CHECK(run.leftovers_after_cleanup().empty());
}
