#include "process/watchdog.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <exception>
#include <string>
#include <thread>

#include "tests/catch.h"

#include "tests/proc_scan.h"

#include "process/process.h"
#include "process/temporary_folder.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using hmt::Watchdog;

namespace {

// The live (not zombie) process whose command line is exactly `wanted`
// (NUL-joined), or 0.
pid_t live_process_with_cmdline(const std::string& wanted) {
  for (const auto& process : hmt::testing::running_processes())
    if (process.cmdline == wanted) return process.pid;
  return 0;
}

template <class Predicate>
bool soon(Predicate holds, std::chrono::milliseconds limit = 10s) {
  for (auto waited = 0ms; waited < limit; waited += 20ms) {
    if (holds()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return holds();
}

bool is_zombie_or_gone(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto after_name = stat.rfind(')');
  return after_name == std::string::npos || stat.substr(after_name + 2, 1) == "Z";
}

// A parent folder of the test's own, removed however the test ends.
struct Parent {
  fs::path path = fs::temp_directory_path() / ("hmt-watchdog-test-" + std::to_string(::getpid()));
  Parent() { fs::create_directories(path); }
  ~Parent() { fs::remove_all(path); }
};

// Forks a stand-in for hmt: it makes its temporary root under `parent`,
// starts a watchdog, and runs `argv` through a watched runner until it is
// killed. Never returns in the child.
pid_t fork_hmt_stand_in(const fs::path& parent, std::vector<std::string> argv) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  try {
    auto root = hmt::TemporaryFolder::create("hmt-run-", parent);
    if (!root) ::_exit(3);
    ::setenv("TMPDIR", root->path().c_str(), 1);  // as hmt does, for the runner's capture files
    auto watchdog = Watchdog::start(root->path(), 500ms);
    if (!watchdog) ::_exit(4);
    hmt::SystemProcessRunner runner(watchdog->get());
    hmt::ProcessSpec spec;
    spec.argv = std::move(argv);
    runner.run(spec);
  } catch (...) {
  }
  ::_exit(5);
}

// Like fork_hmt_stand_in, but the child runs `argv` on a worker thread and
// crashes (as an exception nobody catches would) once `crash` has a byte to read.
pid_t fork_crashing_stand_in(const fs::path& parent, std::vector<std::string> argv, int crash) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  auto root = hmt::TemporaryFolder::create("hmt-run-", parent);
  if (!root) ::_exit(3);
  ::setenv("TMPDIR", root->path().c_str(), 1);
  auto watchdog = Watchdog::start(root->path(), 500ms);
  if (!watchdog) ::_exit(4);
  hmt::SystemProcessRunner runner(watchdog->get());
  std::thread worker([&] {
    hmt::ProcessSpec spec;
    spec.argv = std::move(argv);
    runner.run(spec);
  });
  char byte;
  while (::read(crash, &byte, 1) < 0) {
  }
  // Where an exception nobody catches ends: SIGABRT, no unwinding, no
  // cleanup in hmt itself.
  std::terminate();
}

}  // namespace

TEST_CASE("when hmt crashes, the watchdog stops its children's groups and removes its temporary root") {
  Parent parent;
  const std::string sleeper("sleep\0" "40.875\0", 13);
  int crash[2];
  REQUIRE(::pipe(crash) == 0);
  const pid_t hmt = fork_crashing_stand_in(parent.path, {"sh", "-c", "sleep 40.875 & wait"}, crash[0]);
  REQUIRE(hmt > 0);
  const bool started = soon([&] { return live_process_with_cmdline(sleeper) != 0; });
  REQUIRE(::write(crash[1], "x", 1) == 1);
  int status = 0;
  ::waitpid(hmt, &status, 0);
  ::close(crash[0]);
  ::close(crash[1]);
  REQUIRE(started);
  CHECK(WIFSIGNALED(status));
  CHECK(soon([&] { return live_process_with_cmdline(sleeper) == 0; }));
  CHECK(soon([&] { return fs::is_empty(parent.path); }));
}

TEST_CASE("when hmt is killed, the watchdog stops its children's groups and removes its temporary root") {
  Parent parent;
  const std::string sleeper("sleep\0" "40.125\0", 13);
  // The shell gets SIGTERM from the kernel when its parent dies; the sleep
  // in its group is reached only by the watchdog.
  const pid_t hmt = fork_hmt_stand_in(parent.path, {"sh", "-c", "sleep 40.125 & wait"});
  REQUIRE(hmt > 0);
  const bool started = soon([&] { return live_process_with_cmdline(sleeper) != 0; });
  ::kill(hmt, SIGKILL);
  ::waitpid(hmt, nullptr, 0);
  REQUIRE(started);
  CHECK(soon([&] { return live_process_with_cmdline(sleeper) == 0; }));
  CHECK(soon([&] { return fs::is_empty(parent.path); }));
}

TEST_CASE("a group that ignores SIGTERM is killed after the grace period") {
  Parent parent;
  const std::string sleeper("sleep\0" "40.375\0", 13);
  const pid_t hmt = fork_hmt_stand_in(parent.path, {"sh", "-c", "trap '' TERM; sleep 40.375 & wait"});
  REQUIRE(hmt > 0);
  const bool started = soon([&] { return live_process_with_cmdline(sleeper) != 0; });
  ::kill(hmt, SIGKILL);
  ::waitpid(hmt, nullptr, 0);
  REQUIRE(started);
  CHECK(soon([&] { return live_process_with_cmdline(sleeper) == 0; }));
  CHECK(soon([&] { return fs::is_empty(parent.path); }));
}

TEST_CASE("the watchdog ignores stop signals and, when hmt ends cleanly, only removes the root") {
  Parent parent;
  const fs::path root = parent.path / "root";
  fs::create_directories(root / "left-over");
  // A group that hmt started and saw end: the watchdog must leave it alone.
  const pid_t released = ::fork();
  if (released == 0) {
    ::setpgid(0, 0);
    ::execlp("sleep", "sleep", "40.625", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  {
    auto watchdog = Watchdog::start(root, 500ms);
    REQUIRE(watchdog);
    (*watchdog)->watch(released);
    (*watchdog)->release(released);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) ::kill((*watchdog)->pid(), s);
    std::this_thread::sleep_for(100ms);
    CHECK_FALSE(is_zombie_or_gone((*watchdog)->pid()));
  }  // the watchdog has ended here
  CHECK_FALSE(fs::exists(root));
  CHECK_FALSE(is_zombie_or_gone(released));
  ::kill(released, SIGKILL);
  ::waitpid(released, nullptr, 0);
}
