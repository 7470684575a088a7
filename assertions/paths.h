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

// nmt's normalizeStorePaths: copies the file to work_dir/normalized/<name>
// with every store path's hash replaced by 32 zeros, and returns the copy.
// Two files with the same name share one copy: the later call wins.
ResolvedPath normalize_store_paths(std::string_view arg, const AssertionContext& context);

// The rewrite normalize_store_paths applies: each `<store_dir>/<32 [a-z0-9]>`
// becomes `/nix/store/<32 zeros>`, followed by the dash-separated name words
// that start with a letter; the rest of the name (from the first word that
// does not, usually a version) is dropped, like nmt's sed expression:
//   <store>/abc…-hello-2.12/bin/hello -> /nix/store/000…-hello/bin/hello
std::string normalize_store_path_text(std::string_view text, std::string_view store_dir);

}  // namespace hmt
