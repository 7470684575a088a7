// --update-golden: when assertFileContent fails, rewrite the expected file's
// source inside the case folder from the actual file.
#pragma once

#include <filesystem>
#include <string>

#include "assertions/result.h"

namespace hmt {

struct GoldenUpdate {
  bool updated = false;
  std::filesystem::path source;  // the rewritten file, when updated
  std::string message;           // what happened, for the report
};

// The expected file is a store copy (`${./foo.service}` becomes
// /nix/store/<hash>-foo.service); its source is the one file below
// case_folder with that name and the same content.
GoldenUpdate update_golden(const AssertionResult& failed, const std::filesystem::path& case_folder);

// update_golden for each failing assertFileContent of result, each noted in
// result.golden; a file left as it was makes the case an error, saying how
// many were not updated.
void update_golden_files(CaseResult& result, const std::filesystem::path& case_folder);

}  // namespace hmt
