// The unit files one script has parsed, so that a case's assertions about
// the same unit read and parse it once. A file counts as the same while its
// device, inode, size and modification time are.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <ctime>
#include <deque>
#include <filesystem>
#include <memory>

#include "assertions/unit_file.h"

namespace hmt {

struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  timespec modified{};

  bool operator==(const FileIdentity& other) const;
};

class UnitCache {
 public:
  // At most `capacity` parses are kept; the oldest goes first.
  explicit UnitCache(std::size_t capacity = 16) : capacity_(capacity) {}

  std::shared_ptr<const UnitFile> find(const std::filesystem::path& path, const FileIdentity& identity) const;
  std::shared_ptr<const UnitFile> store(const std::filesystem::path& path, const FileIdentity& identity,
                                        UnitFile unit);

 private:
  struct Entry {
    std::filesystem::path path;
    FileIdentity identity;
    std::shared_ptr<const UnitFile> unit;
  };
  std::size_t capacity_;
  std::deque<Entry> entries_;
};

}  // namespace hmt
