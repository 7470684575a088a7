// Where assertion paths may point. Tested paths are relative to $TESTED (or
// absolute inside it) and may not escape it lexically; expected files may
// also sit anywhere in the Nix store or in the work dir (normalizeStorePaths
// output). Symlinks inside the tree are followed as nmt does: home-files
// entries are links into the store.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "assertions/assertion.h"

namespace hmt {

struct ResolvedPath {
  std::filesystem::path path;  // absolute, lexically normal
  std::string error;           // empty when the path is allowed
  bool ok() const { return error.empty(); }
};

// A path an assertion inspects: like nmt's _abs (relative -> $TESTED/arg),
// but a relative path must stay in the tested tree and an absolute one must
// lie in the tested tree, the work dir or the store (`..` resolved first).
ResolvedPath resolve_tested_path(std::string_view arg, const AssertionContext& context);

// The expected side of assertFileContent: an absolute path in the store, the
// work dir or the tested tree, or a path relative to $TESTED.
ResolvedPath resolve_expected_path(std::string_view arg, const AssertionContext& context);

}  // namespace hmt
