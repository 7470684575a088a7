#include "process/watchdog.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <string>
#include <thread>

#include <fmt/core.h>

namespace hmt {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kSocketFd = 3;  // where the watchdog keeps its end of the socket

bool any_group_alive(const std::set<pid_t>& groups) {
  for (pid_t group : groups)
    if (::kill(-group, 0) == 0) return true;
  return false;
}

void signal_groups(const std::set<pid_t>& groups, int signal) {
  for (pid_t group : groups) ::kill(-group, signal);
}

void wait_for_groups(const std::set<pid_t>& groups, Clock::duration limit) {
  const auto deadline = Clock::now() + limit;
  while (any_group_alive(groups) && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

// Lines "+PID" / "-PID" add and remove a group.
void update_groups(const std::string& line, std::set<pid_t>& groups) {
  if (line.size() < 2) return;
  const pid_t group = static_cast<pid_t>(std::atol(line.c_str() + 1));
  if (group <= 0) return;
  if (line[0] == '+') groups.insert(group);
  if (line[0] == '-') groups.erase(group);
}

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU};

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : kStopSignals) sigaddset(&set, s);
  return set;
}

// The watchdog's whole life, in the forked child. It starts with the stop
// signals blocked, so none reaches it before it ignores them.
[[noreturn]] void watch_parent(int socket, const std::filesystem::path& root, std::chrono::milliseconds grace,
                               const sigset_t& mask) {
  // Stop signals are meant for hmt; the watchdog cleans up after it.
  for (int s : kStopSignals) ::signal(s, SIG_IGN);
  ::sigprocmask(SIG_SETMASK, &mask, nullptr);
  ::setpgid(0, 0);
  // Keep nothing of hmt's open: a pipe hmt writes to must see EOF when hmt
  // ends, not when the watchdog does.
  const int kept = ::fcntl(socket, F_DUPFD, 10);  // out of the way of 0-3
  const int null = ::open("/dev/null", O_RDWR);
  if (null >= 0)
    for (int fd : {0, 1, 2}) ::dup2(null, fd);
  ::dup2(kept, kSocketFd);
  ::close_range(kSocketFd + 1, ~0U, 0);

  std::set<pid_t> groups;
  std::string pending;
  char buffer[512];
  while (true) {
    const ssize_t n = ::read(kSocketFd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buffer, static_cast<std::size_t>(n));
    for (std::size_t end; (end = pending.find('\n')) != std::string::npos; pending.erase(0, end + 1))
      update_groups(pending.substr(0, end), groups);
  }
  if (!groups.empty()) {
    signal_groups(groups, SIGTERM);
    wait_for_groups(groups, grace);
    signal_groups(groups, SIGKILL);
    wait_for_groups(groups, std::chrono::seconds(1));
  }
  std::error_code ignored;
  if (!root.empty()) std::filesystem::remove_all(root, ignored);
  ::_exit(0);
}

}  // namespace

Expected<std::unique_ptr<Watchdog>> Watchdog::start(const std::filesystem::path& temporary_root,
                                                    std::chrono::milliseconds grace) {
  int ends[2];
  // A socket rather than a pipe so that writing to a dead watchdog raises no
  // SIGPIPE; close-on-exec, as a child holding hmt's end would keep the
  // watchdog waiting.
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0)
    return Error{fmt::format("cannot start the watchdog: socketpair: {}", std::strerror(errno))};
  const sigset_t blocked = stop_signals();
  sigset_t mask;
  ::pthread_sigmask(SIG_BLOCK, &blocked, &mask);
  const pid_t pid = ::fork();
  if (pid != 0) ::pthread_sigmask(SIG_SETMASK, &mask, nullptr);
  if (pid < 0) {
    const int error = errno;
    ::close(ends[0]);
    ::close(ends[1]);
    return Error{fmt::format("cannot start the watchdog: fork: {}", std::strerror(error))};
  }
  if (pid == 0) {
    ::close(ends[1]);
    watch_parent(ends[0], temporary_root, grace, mask);
  }
  ::close(ends[0]);
  return std::unique_ptr<Watchdog>(new Watchdog(pid, ends[1]));
}

Watchdog::~Watchdog() {
  ::close(socket_);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

void Watchdog::watch(pid_t group) { tell('+', group); }
void Watchdog::release(pid_t group) { tell('-', group); }

void Watchdog::tell(char what, pid_t group) {
  // One short send is never interleaved with another, so threads need no lock.
  const std::string line = fmt::format("{}{}\n", what, group);
  ssize_t ignored = ::send(socket_, line.data(), line.size(), MSG_NOSIGNAL);
  (void)ignored;
}

}  // namespace hmt
