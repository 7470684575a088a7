// A private folder (mkdtemp) removed with all it holds when its owner goes.
// hmt puts every temporary file of a run under one such folder and points
// TMPDIR at it, so one removal (by hmt, or by its watchdog when hmt was
// killed) leaves nothing behind.
#pragma once

#include <filesystem>
#include <string_view>

#include "process/expected.h"

namespace hmt {

class TemporaryFolder {
 public:
  // `parent`/<prefix>XXXXXX; parent defaults to TMPDIR (or /tmp).
  static Expected<TemporaryFolder> create(std::string_view prefix, const std::filesystem::path& parent = {});

  TemporaryFolder(TemporaryFolder&& other) noexcept;
  TemporaryFolder& operator=(TemporaryFolder&& other) noexcept;
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  ~TemporaryFolder();

  const std::filesystem::path& path() const { return path_; }

 private:
  explicit TemporaryFolder(std::filesystem::path path) : path_(std::move(path)) {}
  void remove();

  std::filesystem::path path_;
};

}  // namespace hmt
