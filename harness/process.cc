#include "harness/process.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <boost/version.hpp>
#include <fmt/core.h>

// Boost 1.88 made process v2 the default; hmt uses the v1 API.
#if BOOST_VERSION >= 108800
#include <boost/process/v1.hpp>
#include <boost/process/v1/extend.hpp>
namespace bp = boost::process::v1;
#else
#include <boost/process.hpp>
#include <boost/process/extend.hpp>
namespace bp = boost::process;
#endif

namespace hmt {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Grace period between SIGTERM and SIGKILL: nix-build uses it to stop its
// builders (which run in sessions of their own) before it goes.
constexpr auto kTerminateGrace = 3s;
constexpr auto kPollInterval = 5ms;

std::atomic<bool> g_cancelled{false};
std::mutex g_groups_mutex;
std::set<pid_t> g_groups;

void signal_group(pid_t group, int signal) {
  if (group > 0) ::kill(-group, signal);
}

// The harness blocks SIGINT/SIGTERM in its threads to handle them in one
// place; children must start with a clean mask or they could not be stopped.
struct ResetSignalMask : bp::extend::handler {
  template <class Executor>
  void on_exec_setup(Executor&) const {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
  }
};

class TempFile {
 public:
  TempFile() {
    std::string pattern = (std::filesystem::temp_directory_path() / "hmt-proc-XXXXXX").string();
    int fd = ::mkstemp(pattern.data());
    if (fd >= 0) {
      ::close(fd);
      path_ = pattern;
    }
  }
  ~TempFile() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove(path_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string read() const {
    std::ifstream in(path_, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

 private:
  std::filesystem::path path_;
};

class GroupRegistration {
 public:
  explicit GroupRegistration(pid_t group) : group_(group) {
    std::lock_guard lock(g_groups_mutex);
    g_groups.insert(group_);
  }
  ~GroupRegistration() {
    std::lock_guard lock(g_groups_mutex);
    g_groups.erase(group_);
  }
  GroupRegistration(const GroupRegistration&) = delete;
  GroupRegistration& operator=(const GroupRegistration&) = delete;

 private:
  pid_t group_;
};

// Stops the whole group: SIGTERM, a grace period for the leader to exit,
// then SIGKILL for whatever is left.
void stop_group(bp::child& child, pid_t group) {
  signal_group(group, SIGTERM);
  const auto deadline = Clock::now() + kTerminateGrace;
  std::error_code ec;
  while (child.running(ec) && Clock::now() < deadline) std::this_thread::sleep_for(kPollInterval);
  signal_group(group, SIGKILL);
  child.wait(ec);
}

}  // namespace

std::filesystem::path find_on_path(const std::string& program) {
  auto found = bp::search_path(program);
  return found.empty() ? std::filesystem::path() : std::filesystem::path(found.string());
}

void cancel_all_processes() {
  g_cancelled = true;
  std::lock_guard lock(g_groups_mutex);
  for (pid_t group : g_groups) signal_group(group, SIGTERM);
}

bool processes_cancelled() { return g_cancelled; }

ProcessResult SystemProcessRunner::run(const ProcessSpec& spec) {
  ProcessResult result;
  const auto started = Clock::now();
  auto finish = [&](ProcessResult::Outcome outcome) {
    result.outcome = outcome;
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    return result;
  };

  if (spec.argv.empty()) {
    result.error = "empty command line";
    return finish(ProcessResult::Outcome::FailedToStart);
  }
  if (g_cancelled) return finish(ProcessResult::Outcome::Cancelled);

  std::filesystem::path program = spec.argv.front();
  if (program.string().find('/') == std::string::npos) {
    program = find_on_path(spec.argv.front());
    if (program.empty()) {
      result.error = fmt::format("'{}' was not found on PATH", spec.argv.front());
      return finish(ProcessResult::Outcome::FailedToStart);
    }
  }
  if (::access(program.c_str(), X_OK) != 0) {
    result.error = fmt::format("'{}' is not executable", program.string());
    return finish(ProcessResult::Outcome::FailedToStart);
  }

  TempFile out_file, err_file;
  if (out_file.path().empty() || err_file.path().empty()) {
    result.error = "could not create a temporary file for the child's output";
    return finish(ProcessResult::Outcome::FailedToStart);
  }

  auto environment = boost::this_process::environment();
  bp::environment child_env = environment;
  for (const auto& [key, value] : spec.env) child_env[key] = value;

  std::vector<std::string> args(spec.argv.begin() + 1, spec.argv.end());
  bp::group group;
  bp::child child;
  std::error_code ec;
  const std::string cwd = spec.cwd ? spec.cwd->string() : std::filesystem::current_path().string();
  child = bp::child(bp::exe = program.string(), bp::args = args,  //
                    bp::std_in < bp::null,                         //
                    bp::std_out > out_file.path().string(),        //
                    bp::std_err > err_file.path().string(),        //
                    bp::env = child_env, bp::start_dir = cwd, group, ResetSignalMask{}, ec);
  if (ec) {
    result.error = fmt::format("could not start '{}': {}", program.string(), ec.message());
    return finish(ProcessResult::Outcome::FailedToStart);
  }
  const pid_t group_id = child.id();  // the first child leads the group
  GroupRegistration registration(group_id);

  const auto deadline = spec.timeout ? std::optional(started + *spec.timeout) : std::nullopt;
  ProcessResult::Outcome outcome = ProcessResult::Outcome::Exited;
  while (child.running(ec)) {
    if (g_cancelled) {
      stop_group(child, group_id);
      outcome = ProcessResult::Outcome::Cancelled;
      break;
    }
    if (deadline && Clock::now() >= *deadline) {
      stop_group(child, group_id);
      outcome = ProcessResult::Outcome::TimedOut;
      break;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  // Whatever the leader left behind in its group goes with it.
  signal_group(group_id, SIGKILL);
  group.detach();

  if (outcome == ProcessResult::Outcome::Exited) {
    const int status = child.native_exit_code();
    if (WIFSIGNALED(status)) {
      outcome = g_cancelled ? ProcessResult::Outcome::Cancelled : ProcessResult::Outcome::Signaled;
      result.exit_code = WTERMSIG(status);
    } else {
      result.exit_code = WEXITSTATUS(status);
    }
  }
  result.out = out_file.read();
  result.err = err_file.read();
  return finish(outcome);
}

}  // namespace hmt
