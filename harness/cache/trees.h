// The trees a run depends on: a checkout or a case folder, listed as the
// files it holds. A git work tree is listed by git (tracked files and
// untracked ones that are not ignored, so a build folder or a `result` link
// is not part of it); any other folder is walked, without following links
// and without `.git`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/cache/file_hashes.h"
#include "process/expected.h"
#include "process/process.h"

namespace hmt {

struct TreeListing {
  std::filesystem::path root;
  bool git = false;                // listed by git
  std::vector<std::string> files;  // relative to root, sorted
};

// A folder the walk gives up on (a case file in $HOME would make $HOME the tree).
inline constexpr std::size_t kMaxTreeFiles = 100'000;

// The git work tree `path` is in (the folder holding `.git`), else `path`
// itself when it is a folder, else its folder.
std::filesystem::path tree_root_of(const std::filesystem::path& path);

// Lists `root`; an error when git fails on a work tree or the tree has
// more than kMaxTreeFiles files.
Expected<TreeListing> list_tree(const std::filesystem::path& root, ProcessRunner& processes);

// The files of `folder` (recursively) among a listing of a tree holding it,
// as absolute paths.
std::vector<std::filesystem::path> files_under(const TreeListing& tree, const std::filesystem::path& folder);

// One digest for a tree's files and their hashes.
std::string tree_digest(const TreeListing& tree, FileHashes& hashes);

// True when `path` is `folder` or inside it (lexically, both absolute).
bool is_within(const std::filesystem::path& path, const std::filesystem::path& folder);
// The trees, each once, none inside another (sorted).
std::vector<std::filesystem::path> outermost(std::vector<std::filesystem::path> trees);

}  // namespace hmt
