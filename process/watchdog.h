// hmt's children must not outlive it, however it ends: SIGKILL and crashes
// run no cleanup code in hmt itself. The watchdog is a small process forked
// from hmt at start, in a process group of its own and deaf to stop signals,
// that holds one end of a socket. hmt tells it each child process group
// as it starts and ends; when the socket closes (hmt is gone, cleanly or not)
// the watchdog stops the groups still listed (SIGTERM, a grace period for
// nix-build to stop its builders, SIGKILL), removes hmt's temporary folder
// and exits.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>

#include "process/expected.h"

namespace hmt {

class Watchdog {
 public:
  // Forks: call it before any thread starts.
  static Expected<std::unique_ptr<Watchdog>> start(const std::filesystem::path& temporary_root,
                                                   std::chrono::milliseconds grace);
  // Closes the socket and waits for the watchdog to finish.
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Safe from any thread.
  void watch(pid_t group);
  void release(pid_t group);

  pid_t pid() const { return pid_; }

 private:
  Watchdog(pid_t pid, int socket) : pid_(pid), socket_(socket) {}
  void tell(char what, pid_t group);

  pid_t pid_;
  int socket_;
};

}  // namespace hmt
