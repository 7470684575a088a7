#include "harness/cache/trees.h"

#include <algorithm>

#include <fmt/core.h>

#include "harness/cache/digest.h"

namespace hmt {

namespace fs = std::filesystem;

std::filesystem::path tree_root_of(const fs::path& path) {
  std::error_code ec;
  const fs::path start = fs::is_directory(path, ec) ? path : path.parent_path();
  for (fs::path at = start; !at.empty(); at = at.parent_path()) {
    if (fs::exists(at / ".git", ec)) return at;
    if (at == at.root_path()) break;
  }
  return start;
}

bool is_within(const fs::path& path, const fs::path& folder) {
  const std::string p = path.lexically_normal().string();
  std::string f = folder.lexically_normal().string();
  while (f.size() > 1 && f.back() == '/') f.pop_back();
  if (p == f) return true;
  if (f == "/") return !p.empty() && p[0] == '/';
  return p.size() > f.size() && p.compare(0, f.size(), f) == 0 && p[f.size()] == '/';
}

std::vector<fs::path> outermost(std::vector<fs::path> trees) {
  for (auto& t : trees) t = t.lexically_normal();
  std::sort(trees.begin(), trees.end());
  trees.erase(std::unique(trees.begin(), trees.end()), trees.end());
  std::vector<fs::path> out;
  for (const auto& t : trees)
    if (std::none_of(out.begin(), out.end(), [&](const fs::path& o) { return is_within(t, o); })) out.push_back(t);
  return out;
}

namespace {

Expected<TreeListing> list_with_git(const fs::path& root, ProcessRunner& processes) {
  ProcessSpec spec;
  spec.argv = {"git", "-C", root.string(), "ls-files", "-z", "--cached", "--others", "--exclude-standard"};
  spec.timeout = std::chrono::seconds(120);
  const ProcessResult result = processes.run(spec);
  if (!result.ok())
    return Error{fmt::format("git ls-files in {} failed: {}", root.string(),
                             result.err.empty() ? result.error : result.err.substr(0, 300))};
  TreeListing tree{root, true, {}};
  std::size_t start = 0;
  for (std::size_t end; (end = result.out.find('\0', start)) != std::string::npos; start = end + 1)
    if (end > start) tree.files.emplace_back(result.out, start, end - start);
  std::sort(tree.files.begin(), tree.files.end());
  tree.files.erase(std::unique(tree.files.begin(), tree.files.end()), tree.files.end());
  if (tree.files.size() > kMaxTreeFiles)
    return Error{fmt::format("{} holds more than {} files", root.string(), kMaxTreeFiles)};
  return tree;
}

Expected<TreeListing> walk(const fs::path& root) {
  TreeListing tree{root, false, {}};
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) return Error{fmt::format("cannot list {}: {}", root.string(), ec.message())};
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return Error{fmt::format("cannot list {}: {}", root.string(), ec.message())};
    const fs::directory_entry& entry = *it;
    if (entry.path().filename() == ".git") {
      if (entry.is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (entry.is_directory(ec) && !entry.is_symlink(ec)) continue;
    tree.files.push_back(entry.path().lexically_relative(root).string());
    if (tree.files.size() > kMaxTreeFiles)
      return Error{fmt::format("{} holds more than {} files", root.string(), kMaxTreeFiles)};
  }
  std::sort(tree.files.begin(), tree.files.end());
  return tree;
}

}  // namespace

Expected<TreeListing> list_tree(const fs::path& root, ProcessRunner& processes) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return Error{fmt::format("{} is not a folder", root.string())};
  if (fs::exists(root / ".git", ec)) return list_with_git(root, processes);
  return walk(root);
}

std::vector<fs::path> files_under(const TreeListing& tree, const fs::path& folder) {
  std::vector<fs::path> out;
  if (!is_within(folder, tree.root)) return out;
  const std::string prefix = folder.lexically_normal().lexically_relative(tree.root.lexically_normal()).string();
  if (prefix == ".") {
    for (const auto& f : tree.files) out.push_back(tree.root / f);
    return out;
  }
  const std::string with_slash = prefix + "/";
  auto it = std::lower_bound(tree.files.begin(), tree.files.end(), with_slash);
  for (; it != tree.files.end() && it->compare(0, with_slash.size(), with_slash) == 0; ++it)
    out.push_back(tree.root / *it);
  return out;
}

std::string tree_digest(const TreeListing& tree, FileHashes& hashes) {
  Digest digest;
  digest.field("tree", tree.root.string());
  for (const auto& file : tree.files) digest.field(file, hashes.of(tree.root / file));
  return digest.hex();
}

}  // namespace hmt
