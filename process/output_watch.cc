#include "process/output_watch.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace hmt {

OutputWatch::OutputWatch(int fd, std::function<void()> on_closed) {
  if (::pipe2(wake_, O_CLOEXEC) != 0) return;  // no watch; writes still find out
  thread_ = std::thread([fd, wake = wake_[0], on_closed = std::move(on_closed)] {
    // No events asked for: poll reports only an error, a hang-up or a
    // closed descriptor on fd.
    pollfd fds[2] = {{fd, 0, 0}, {wake, POLLIN, 0}};
    for (;;) {
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (fds[1].revents != 0) return;
      if (fds[0].revents & POLLNVAL) return;
      if (fds[0].revents & (POLLERR | POLLHUP)) {
        on_closed();
        return;
      }
    }
  });
}

OutputWatch::~OutputWatch() {
  if (thread_.joinable()) {
    const char stop = 0;
    while (::write(wake_[1], &stop, 1) < 0 && errno == EINTR) {
    }
    thread_.join();
  }
  for (int end : wake_)
    if (end >= 0) ::close(end);
}

}  // namespace hmt
