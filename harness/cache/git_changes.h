// The files of a git work tree that differ from a commit: changed, added,
// removed or renamed since REF, committed or not, and untracked files that
// are not ignored (`git diff --name-only REF` and `git ls-files --others`).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "process/expected.h"
#include "process/process.h"

namespace hmt {

// Absolute paths; an error names the work tree and says what git said (an
// unknown REF, not a work tree).
Expected<std::vector<std::filesystem::path>> changed_since(ProcessRunner& processes,
                                                           const std::filesystem::path& work_tree,
                                                           const std::string& ref);

}  // namespace hmt
