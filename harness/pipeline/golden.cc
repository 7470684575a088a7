#include "harness/pipeline/golden.h"

#include <fstream>
#include <iterator>
#include <vector>

#include <fmt/core.h>

namespace hmt {

namespace {

// A folder walk that stops early on a huge tree rather than hanging.
constexpr std::size_t kMaxEntriesVisited = 20000;
constexpr std::size_t kStoreHashLength = 32;

std::string store_name(const std::filesystem::path& store_path) {
  std::string base = store_path.filename().string();
  if (base.size() > kStoreHashLength + 1 && base[kStoreHashLength] == '-') return base.substr(kStoreHashLength + 1);
  return base;
}

bool same_content(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code ec;
  if (std::filesystem::file_size(a, ec) != std::filesystem::file_size(b, ec) || ec) return false;
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  return std::equal(std::istreambuf_iterator<char>(fa), std::istreambuf_iterator<char>(),
                    std::istreambuf_iterator<char>(fb), std::istreambuf_iterator<char>());
}

}  // namespace

GoldenUpdate update_golden(const AssertionResult& failed, const std::filesystem::path& case_folder) {
  GoldenUpdate update;
  if (failed.name != "assertFileContent" || !failed.expected_path || !failed.actual_path) {
    update.message = "only a failing assertFileContent has a golden file to update";
    return update;
  }
  const std::filesystem::path expected = *failed.expected_path;
  const std::string name = store_name(expected);

  std::vector<std::filesystem::path> candidates;
  std::error_code ec;
  std::size_t visited = 0;
  for (auto it = std::filesystem::recursive_directory_iterator(
           case_folder, std::filesystem::directory_options::skip_permission_denied, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (++visited > kMaxEntriesVisited) break;
    if (it->is_regular_file(ec) && it->path().filename() == name && same_content(it->path(), expected))
      candidates.push_back(it->path());
  }

  if (candidates.empty()) {
    update.message = fmt::format(
        "not updated: no file named '{}' with the expected content below {} (expected text written inline, "
        "e.g. with pkgs.writeText, has no source file to rewrite)",
        name, case_folder.string());
    return update;
  }
  if (candidates.size() > 1) {
    std::string list;
    for (const auto& c : candidates) list += "\n  " + c.string();
    update.message = fmt::format("not updated: '{}' is ambiguous, several files match:{}", name, list);
    return update;
  }
  const auto& source = candidates.front();
  std::filesystem::copy_file(*failed.actual_path, source, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) {
    update.message = fmt::format("not updated: cannot write {}: {}", source.string(), ec.message());
    return update;
  }
  // The store copy was read-only; the source keeps its usual mode.
  std::filesystem::permissions(source,
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                   std::filesystem::perms::group_read | std::filesystem::perms::others_read,
                               ec);
  update.updated = true;
  update.source = source;
  update.message = fmt::format("updated {}", source.string());
  return update;
}

}  // namespace hmt
