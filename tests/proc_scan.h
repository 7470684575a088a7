// The processes alive now, read from /proc, for tests that check what a run
// left behind. A process may exit while it is read: reading its files then
// fails (ESRCH), which libstdc++'s istreambuf_iterator throws, so the files
// are read with read(2) and such a process is simply left out.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

namespace hmt::testing {

struct RunningProcess {
  pid_t pid = 0;
  std::string cmdline;  // NUL-joined, as the kernel gives it
  std::string environ;  // NUL-joined NAME=value
};

// A /proc file's bytes, or "" when it cannot be read (the process is gone).
inline std::string read_proc_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  std::string bytes;
  char buffer[4096];
  ssize_t got = 0;
  while ((got = ::read(fd, buffer, sizeof buffer)) > 0) bytes.append(buffer, static_cast<std::size_t>(got));
  ::close(fd);
  return got < 0 ? "" : bytes;
}

inline std::vector<RunningProcess> running_processes() {
  std::vector<RunningProcess> processes;
  const std::unique_ptr<DIR, int (*)(DIR*)> proc(::opendir("/proc"), ::closedir);
  if (!proc) return processes;
  while (const dirent* entry = ::readdir(proc.get())) {
    const std::string pid = entry->d_name;
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
    RunningProcess process{static_cast<pid_t>(std::stol(pid)), read_proc_file("/proc/" + pid + "/cmdline"),
                           read_proc_file("/proc/" + pid + "/environ")};
    // A zombie, or one that exited meanwhile, has no command line.
    if (!process.cmdline.empty()) processes.push_back(std::move(process));
  }
  return processes;
}

}  // namespace hmt::testing
