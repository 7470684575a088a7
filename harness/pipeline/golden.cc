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
  namespace fs = std::filesystem;
  GoldenUpdate update;
  if (failed.name != "assertFileContent" || !failed.expected_path || !failed.actual_path) {
    update.message = "only a failing assertFileContent has a golden file to update";
    return update;
  }
  const fs::path expected = *failed.expected_path;
  const std::string name = store_name(expected);
  std::error_code ec;
  const fs::path folder = fs::canonical(case_folder, ec);
  if (ec) {
    update.message = fmt::format("not updated: the case folder {} cannot be read: {}", case_folder.string(), ec.message());
    return update;
  }

  // Regular files only, found without following links, in folders that are
  // the case folder's own (the walk does not enter linked folders): writing
  // one never reaches outside the case folder.
  std::vector<fs::path> candidates, linked;
  std::size_t visited = 0;
  for (auto it = fs::recursive_directory_iterator(folder, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (++visited > kMaxEntriesVisited) break;
    if (it->path().filename() != name) continue;
    const fs::file_status own = it->symlink_status(ec);
    if (fs::is_symlink(own)) {
      if (same_content(it->path(), expected)) linked.push_back(it->path());
    } else if (fs::is_regular_file(own) && same_content(it->path(), expected)) {
      candidates.push_back(it->path());
    }
  }

  if (candidates.empty()) {
    update.message =
        linked.empty()
            ? fmt::format("not updated: no file named '{}' with the expected content below {} (expected text written "
                          "inline, e.g. with pkgs.writeText, has no source file to rewrite)",
                          name, folder.string())
            : fmt::format("not updated: {} is a link, and --update-golden writes only the case folder's own files",
                          linked.front().string());
    return update;
  }
  if (candidates.size() > 1) {
    std::string list;
    for (const auto& c : candidates) list += "\n  " + c.string();
    update.message = fmt::format("not updated: '{}' is ambiguous, several files match:{}", name, list);
    return update;
  }
  // Written beside it and renamed over it: the file is replaced, never
  // written through, and a failed write leaves it as it was.
  const fs::path& source = candidates.front();
  const fs::path fresh = source.parent_path() / ("." + source.filename().string() + ".hmt-update");
  fs::copy_file(*failed.actual_path, fresh, fs::copy_options::overwrite_existing, ec);
  if (!ec)
    fs::permissions(fresh, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read,
                    ec);
  if (!ec) fs::rename(fresh, source, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(fresh, ignored);
    update.message = fmt::format("not updated: cannot write {}: {}", source.string(), ec.message());
    return update;
  }
  update.updated = true;
  update.source = source;
  update.message = fmt::format("updated {}", source.string());
  return update;
}

void update_golden_files(CaseResult& result, const std::filesystem::path& case_folder) {
  std::size_t left = 0;
  for (const auto& a : result.assertions) {
    if (a.status != Status::Fail || a.name != "assertFileContent") continue;
    const GoldenUpdate update = update_golden(a, case_folder);
    result.golden.push_back({a.expected_path.value_or(""), update.updated, update.message});
    if (!update.updated) ++left;
  }
  if (left == 0) return;
  result.status = Status::Error;
  result.reason += fmt::format("{}--update-golden did not update {} expected file{}",
                               result.reason.empty() ? "" : "; ", left, left == 1 ? "" : "s");
}

}  // namespace hmt
