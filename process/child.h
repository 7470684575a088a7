// What every child of hmt gets, whether it runs to the end (process.cc) or
// stays up as a session (session.cc): a clean signal state, death with the
// thread that started it, the environment it was given, a process group
// that the watchdog knows of, and a stop that reaches the whole group.
// Internal to the process layer.
#pragma once

#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/version.hpp>

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

#include "process/process.h"
#include "process/watchdog.h"

namespace hmt::child {

using Clock = std::chrono::steady_clock;
inline constexpr std::chrono::milliseconds kPollInterval{5};

inline void signal_group(pid_t group, int signal) {
  if (group > 0) ::kill(-group, signal);
}

// Runs in the child between fork and exec. hmt blocks its stop signals in
// every thread to handle them in one place, and ignores SIGPIPE to see write
// errors; a child must start with neither, or it could not be stopped.
// It also dies with the thread that started it, should hmt die first.
struct PrepareChild : bp::extend::handler {
  pid_t parent = ::getpid();

  template <class Executor>
  void on_exec_setup(Executor&) const {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);  // hmt died before prctl
  }
};

// The child's environment: hmt's own with spec.env set on top, handed to
// execve as it is. Not bp::environment, whose lookup in Boost 1.74 reads
// past the end of entries shorter than the key (AddressSanitizer finds it).
class ChildEnvironment : public bp::extend::handler {
 public:
  ChildEnvironment(const std::map<std::string, std::string>& overrides, const std::set<std::string>& unset) {
    for (char** entry = ::environ; entry && *entry; ++entry) {
      const std::string_view text(*entry);
      const std::string name(text.substr(0, text.find('=')));
      if (!overrides.count(name) && !unset.count(name)) entries_.emplace_back(text);
    }
    for (const auto& [key, value] : overrides) entries_.push_back(key + "=" + value);
    for (auto& entry : entries_) pointers_.push_back(entry.data());
    pointers_.push_back(nullptr);
  }

  template <class Executor>
  void on_setup(Executor& exec) const {
    exec.env = const_cast<char**>(pointers_.data());
  }

 private:
  std::vector<std::string> entries_;
  std::vector<char*> pointers_;
};

// Tells the watchdog about a group for as long as it lives.
class WatchedGroup {
 public:
  WatchedGroup(Watchdog* watchdog, pid_t group) : watchdog_(watchdog), group_(group) {
    if (watchdog_) watchdog_->watch(group_);
  }
  ~WatchedGroup() {
    if (watchdog_) watchdog_->release(group_);
  }
  WatchedGroup(const WatchedGroup&) = delete;
  WatchedGroup& operator=(const WatchedGroup&) = delete;

 private:
  Watchdog* watchdog_;
  pid_t group_;
};

// Stops the whole group: SIGTERM, a grace period for the leader to exit,
// then SIGKILL for whatever is left.
inline void stop_group(bp::child& child, pid_t group) {
  signal_group(group, SIGTERM);
  const auto deadline = Clock::now() + kStopGrace;
  std::error_code ec;
  while (child.running(ec) && Clock::now() < deadline) std::this_thread::sleep_for(kPollInterval);
  signal_group(group, SIGKILL);
  child.wait(ec);
}

}  // namespace hmt::child
