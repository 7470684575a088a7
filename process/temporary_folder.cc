#include "process/temporary_folder.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include <fmt/core.h>

namespace hmt {

namespace fs = std::filesystem;

Expected<TemporaryFolder> TemporaryFolder::create(std::string_view prefix, const fs::path& parent) {
  std::error_code ec;
  const fs::path where = parent.empty() ? fs::temp_directory_path(ec) : parent;
  if (ec) return Error{fmt::format("cannot find a folder for temporary files: {}", ec.message())};
  std::string pattern = (where / (std::string(prefix) + "XXXXXX")).string();
  if (!::mkdtemp(pattern.data()))
    return Error{fmt::format("cannot create a temporary folder in {}: {}", where.string(), std::strerror(errno))};
  return TemporaryFolder(fs::path(pattern));
}

TemporaryFolder::TemporaryFolder(TemporaryFolder&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

TemporaryFolder& TemporaryFolder::operator=(TemporaryFolder&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

TemporaryFolder::~TemporaryFolder() { remove(); }

void TemporaryFolder::remove() {
  std::error_code ignored;
  if (!path_.empty()) fs::remove_all(path_, ignored);
  path_.clear();
}

}  // namespace hmt
