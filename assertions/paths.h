// Where assertion paths may point: the one rule every assertion calls.
// Tested paths are relative to $TESTED (or absolute inside it, the work dir
// or the store) and may not escape it lexically. Symlinks are followed as
// nmt does (home-files entries are links into the store), but every link on
// the way must lead into the tested tree, the Nix store, the work dir or
// the case's sources (a Nix path there stands for its store copy): a link
// to /etc is refused like `../`, so a verdict never depends on the machine
// running the test.
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
// Assertions about a link itself (assertLinkExists, assertLinkPointsTo)
// keep the final link; the others follow it.
enum class FinalLink { Follow, Keep };
ResolvedPath resolve_tested_path(std::string_view arg, const AssertionContext& context,
                                 FinalLink final_link = FinalLink::Follow);

// The expected side of assertFileContent: an absolute path in the store, the
// work dir or the tested tree, or a path relative to $TESTED.
ResolvedPath resolve_expected_path(std::string_view arg, const AssertionContext& context);

}  // namespace hmt
