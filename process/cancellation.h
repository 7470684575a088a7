// A run's stop request: set once (a stop signal, a report that can no longer
// be written), read by everything that starts or waits for work. Each
// ProcessRunner owns one, so a fake runner is interrupted in tests exactly
// as the real one is in production.
#pragma once

#include <atomic>
#include <mutex>
#include <string>

namespace hmt {

class Cancellation {
 public:
  // Safe from any thread; the first reason is kept, later calls change nothing.
  void cancel(const std::string& reason) {
    std::lock_guard lock(mutex_);
    if (requested_) return;
    reason_ = reason;
    requested_ = true;
  }
  bool requested() const { return requested_; }
  // Why the run stopped, e.g. "hmt received SIGTERM"; empty until cancel().
  std::string reason() const {
    std::lock_guard lock(mutex_);
    return reason_;
  }

 private:
  std::atomic<bool> requested_{false};
  mutable std::mutex mutex_;
  std::string reason_;
};

}  // namespace hmt
