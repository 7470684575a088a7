#include "harness/cache/selection.h"

#include <algorithm>
#include <map>

#include <fmt/core.h>

#include "harness/cache/trees.h"

namespace hmt {

namespace fs = std::filesystem;

namespace {

bool failed(const CaseRecord& c) {
  return c.status && (*c.status == Status::Fail || *c.status == Status::Error || *c.status == Status::Timeout);
}

// `file` relative to the home-manager root holding it, or nullopt.
std::optional<std::string> relative_to(const std::vector<fs::path>& roots, const fs::path& file) {
  for (const auto& root : roots)
    if (is_within(file, root)) return file.lexically_normal().lexically_relative(root.lexically_normal()).string();
  return std::nullopt;
}

bool starts_with(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

bool SharedCore::is_news_entry(const fs::path& file) const {
  const auto rel = relative_to(home_manager_roots, file);
  // Read by modules/misc/news only into news.entries, which `home-manager
  // news` shows; the record leaves `news` out (every module defines it).
  return rel && starts_with(*rel, "modules/misc/news/") && *rel != "modules/misc/news/default.nix";
}

bool SharedCore::tests_news(const fs::path& folder) const {
  const auto rel = relative_to(home_manager_roots, folder);
  return rel && (*rel == "tests/modules/misc/news" || starts_with(*rel, "tests/modules/misc/news/"));
}

bool SharedCore::is_core(const fs::path& file) const {
  const auto rel = relative_to(home_manager_roots, file);
  if (!rel || is_news_entry(file)) return false;
  for (std::string_view folder : {"modules/lib/", "modules/lib-bash/", "modules/misc/", "modules/files/", "lib/"})
    if (starts_with(*rel, folder)) return true;
  for (std::string_view top : {"modules/modules.nix", "modules/default.nix", "modules/home-environment.nix",
                               "modules/files.nix", "default.nix", "flake.nix", "flake.lock"})
    if (*rel == top) return true;
  // The test scaffolding: tests/default.nix, stubs.nix, asserts.nix, ...
  return starts_with(*rel, "tests/") && rel->find('/', 6) == std::string::npos;
}

Affected affected_by(const std::vector<fs::path>& changed, const Record& record, const SharedCore& core,
                     const std::set<std::string>& modules) {
  Affected affected;
  std::map<std::string, std::vector<const std::string*>> by_file;
  for (const auto& [name, c] : record.cases)
    for (const auto& f : c.files) by_file[f].push_back(&name);
  bool any = false;
  for (const auto& file : changed) {
    const std::string path = file.lexically_normal().string();
    if (core.is_core(file)) return {true, fmt::format("{} is shared by every case", path), {}};
    any = true;
    if (core.is_news_entry(file)) {
      for (const auto& [name, c] : record.cases)
        if (core.tests_news(c.folder)) affected.cases.insert(name);
      continue;
    }
    bool claimed = false;
    bool a_module = false;
    // The file itself, or a folder holding it: a module given as a folder
    // is recorded as the folder, and may read any file in it.
    for (fs::path at = file.lexically_normal(); !at.empty(); at = at.parent_path()) {
      if (auto it = by_file.find(at.string()); it != by_file.end()) {
        for (const auto* name : it->second) affected.cases.insert(*name);
        claimed = true;
      }
      a_module = a_module || modules.count(at.string()) > 0;
      if (at == at.root_path()) break;
    }
    for (const auto& [name, c] : record.cases)
      if (!c.folder.empty() && is_within(file, c.folder)) {
        affected.cases.insert(name);
        claimed = true;
      }
    if (!claimed && !a_module)
      return {true, fmt::format("{} is in no case's record", path), {}};
  }
  // A case whose definitions could not be worked out may depend on anything.
  if (any)
    for (const auto& [name, c] : record.cases)
      if (!c.complete) affected.cases.insert(name);
  return affected;
}

std::vector<fs::path> changed_between(const std::map<std::string, std::string>& before,
                                      const std::map<std::string, std::string>& after) {
  std::vector<fs::path> changed;
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && b->first < a->first)) {
      changed.emplace_back((b++)->first);
    } else if (b == before.end() || a->first < b->first) {
      changed.emplace_back((a++)->first);
    } else {
      if (a->second != b->second) changed.emplace_back(a->first);
      ++a;
      ++b;
    }
  }
  return changed;
}

std::vector<CaseEntry> last_failed(const std::vector<CaseEntry>& cases, const Record& record) {
  std::vector<CaseEntry> out;
  for (const auto& entry : cases)
    if (auto it = record.cases.find(entry.name); it != record.cases.end() && failed(it->second)) out.push_back(entry);
  return out;
}

std::vector<CaseEntry> failed_first(const std::vector<CaseEntry>& cases, const Record& record) {
  std::vector<CaseEntry> out = cases;
  std::stable_partition(out.begin(), out.end(), [&](const CaseEntry& entry) {
    auto it = record.cases.find(entry.name);
    return it != record.cases.end() && failed(it->second);
  });
  return out;
}

}  // namespace hmt
