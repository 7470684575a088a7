// Waiting for files to change, for --watch: inotify on every folder of a
// set of trees (links not followed, `.git` left out). It says only that
// something changed; what did is for the caller to find out (hmt hashes
// the trees again, so an editor's swap file that came and went changes
// nothing).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "process/expected.h"

namespace hmt {

class FileWatch {
 public:
  virtual ~FileWatch() = default;
  // Watches every folder of the trees, replacing what was watched before.
  virtual Expected<std::size_t> watch(const std::vector<std::filesystem::path>& trees) = 0;
  // Returns true once something changed and then nothing for `settle`;
  // false as soon as `stop` says so (asked every few hundred milliseconds).
  virtual bool wait(const std::function<bool()>& stop, std::chrono::milliseconds settle) = 0;
};

// The real thing (Linux inotify); an error when inotify is not available.
Expected<std::unique_ptr<FileWatch>> inotify_watch();

}  // namespace hmt
