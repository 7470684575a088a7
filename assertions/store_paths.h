// nmt's normalizeStorePaths: a copy of a tested file with the hashes of its
// store paths zeroed, so expected files need not carry them.
#pragma once

#include <string>
#include <string_view>

#include "assertions/assertion.h"
#include "assertions/paths.h"

namespace hmt {

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
