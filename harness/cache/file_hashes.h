// Content hashes of files, remembered between runs by (path, size, mtime,
// inode), so that a file that did not change is not read again: hashing the
// trees a run depends on costs a stat per file.
//
// A hash says what a file is as well as what it holds: "f" + SHA-1 of the
// bytes for a regular file ("x" instead of "f" when it is executable), "l" +
// SHA-1 of the target for a symbolic link (never followed), "d" for a
// folder, "-" for nothing there, "?" for something unreadable.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace hmt {

class FileHashes {
 public:
  using Clock = std::function<std::int64_t()>;  // now, in nanoseconds since the epoch

  // `memory`: the file the hashes are remembered in (read now, written by
  // save()); empty: remember nothing beyond this object.
  explicit FileHashes(std::filesystem::path memory = {}, Clock clock = {});

  std::string of(const std::filesystem::path& path);

  // Writes what was hashed back to the memory file (atomically); a file
  // whose mtime is within two seconds of its hashing is not remembered, as
  // it may still change within the same mtime (git's "racily clean").
  void save();

  std::size_t files_read() const { return files_read_; }

 private:
  struct Entry {
    std::uintmax_t size = 0;
    std::int64_t mtime_ns = 0;
    std::uint64_t inode = 0;
    std::string hash;
    bool used = false;
  };

  void load();

  std::filesystem::path memory_;
  Clock clock_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
  std::size_t files_read_ = 0;
};

}  // namespace hmt
