#include "process/file_watch.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/core.h>

namespace hmt {

namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t kEvents =
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_ATTRIB;
constexpr std::chrono::milliseconds kPoll{200};

class InotifyWatch : public FileWatch {
 public:
  explicit InotifyWatch(int fd) : fd_(fd) {}
  ~InotifyWatch() override { ::close(fd_); }
  InotifyWatch(const InotifyWatch&) = delete;
  InotifyWatch& operator=(const InotifyWatch&) = delete;

  Expected<std::size_t> watch(const std::vector<fs::path>& trees) override {
    for (int wd : watches_) ::inotify_rm_watch(fd_, wd);
    watches_.clear();
    drain();
    for (const auto& tree : trees) {
      if (auto added = add(tree); !added) return Error{added.error()};
      std::error_code ec;
      fs::recursive_directory_iterator it(tree, fs::directory_options::skip_permission_denied, ec);
      for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_directory(ec) || it->is_symlink(ec)) continue;
        if (it->path().filename() == ".git") {
          it.disable_recursion_pending();
          continue;
        }
        if (auto added = add(it->path()); !added) return Error{added.error()};
      }
    }
    return watches_.size();
  }

  bool wait(const std::function<bool()>& stop, std::chrono::milliseconds settle) override {
    bool changed = false;
    for (;;) {
      if (stop && stop()) return false;
      pollfd fd{fd_, POLLIN, 0};
      const int timeout = static_cast<int>((changed ? std::min(settle, kPoll) : kPoll).count());
      const int ready = ::poll(&fd, 1, timeout);
      if (ready < 0 && errno != EINTR) return false;
      if (ready > 0) {
        changed = drain() || changed;
        continue;
      }
      if (changed) return true;  // quiet for `settle` after a change
    }
  }

 private:
  Expected<bool> add(const fs::path& folder) {
    const int wd = ::inotify_add_watch(fd_, folder.c_str(), kEvents | IN_ONLYDIR | IN_DONT_FOLLOW);
    if (wd < 0) {
      if (errno == ENOSPC)
        return Error{fmt::format("cannot watch {}: too many folders for inotify (raise "
                                 "/proc/sys/fs/inotify/max_user_watches)",
                                 folder.string())};
      if (errno == ENOENT || errno == ENOTDIR || errno == EACCES) return true;  // gone, or not ours
      return Error{fmt::format("cannot watch {}: {}", folder.string(), std::strerror(errno))};
    }
    watches_.push_back(wd);
    return true;
  }

  // Reads every pending event; true when there was one.
  bool drain() {
    bool any = false;
    alignas(inotify_event) char buffer[1 << 14];
    for (;;) {
      const ssize_t n = ::read(fd_, buffer, sizeof buffer);
      if (n <= 0) return any;
      any = true;
    }
  }

  int fd_;
  std::vector<int> watches_;
};

}  // namespace

Expected<std::unique_ptr<FileWatch>> inotify_watch() {
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return Error{fmt::format("inotify is not available: {}", std::strerror(errno))};
  return std::unique_ptr<FileWatch>(new InotifyWatch(fd));
}

}  // namespace hmt
