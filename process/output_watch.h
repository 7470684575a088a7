// Watches the descriptor a report goes to (stdout) for its reader going
// away. A pipe whose reader closed says so at once (POLLERR), long before
// hmt's next write would fail: with `hmt | head` and a build running for
// half an hour, the run stops now rather than then. A terminal that hangs
// up says so too (POLLHUP); a file never does.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace hmt {

class OutputWatch {
 public:
  // `on_closed` is called once, from the watch's own thread.
  OutputWatch(int fd, std::function<void()> on_closed);
  ~OutputWatch();
  OutputWatch(const OutputWatch&) = delete;
  OutputWatch& operator=(const OutputWatch&) = delete;

 private:
  int wake_[2] = {-1, -1};  // written to end the watch
  std::thread thread_;
};

}  // namespace hmt
