#include "assertions/unit_cache.h"

#include <algorithm>

namespace hmt {

bool FileIdentity::operator==(const FileIdentity& other) const {
  return device == other.device && inode == other.inode && size == other.size &&
         modified.tv_sec == other.modified.tv_sec && modified.tv_nsec == other.modified.tv_nsec;
}

std::shared_ptr<const UnitFile> UnitCache::find(const std::filesystem::path& path,
                                                const FileIdentity& identity) const {
  const auto it = std::find_if(entries_.begin(), entries_.end(),
                               [&](const Entry& e) { return e.path == path && e.identity == identity; });
  return it == entries_.end() ? nullptr : it->unit;
}

std::shared_ptr<const UnitFile> UnitCache::store(const std::filesystem::path& path, const FileIdentity& identity,
                                                 UnitFile unit) {
  std::erase_if(entries_, [&](const Entry& e) { return e.path == path; });
  if (capacity_ == 0) return std::make_shared<const UnitFile>(std::move(unit));
  if (entries_.size() == capacity_) entries_.pop_front();
  entries_.push_back({path, identity, std::make_shared<const UnitFile>(std::move(unit))});
  return entries_.back().unit;
}

}  // namespace hmt
