// Asserting one built case: its manifest's script runs against its tested
// tree in a scratch folder of its own, and --update-golden rewrites what it
// may.
#pragma once

#include <chrono>
#include <filesystem>
#include <vector>

#include "assertions/result.h"
#include "harness/nix/manifest.h"
#include "process/process.h"

namespace hmt {

struct CheckOptions {
  bool update_golden = false;
  std::filesystem::path helper;  // answers `__assert` for the bash fallback: hmt itself
  std::chrono::milliseconds script_timeout{std::chrono::minutes(5)};
  std::filesystem::path store_dir = "/nix/store";
  std::vector<std::filesystem::path> input_roots;  // see AssertionContext::input_roots
};

// case_folder: where --update-golden may write; empty: nowhere.
// script_ran: set to whether the script ran (not when the scratch folder or
// the tested tree was missing).
CaseResult check_manifest(const Manifest& manifest, const std::filesystem::path& case_folder,
                          const CheckOptions& options, ProcessRunner& processes, bool* script_ran = nullptr);

}  // namespace hmt
