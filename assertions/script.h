// Running an nmt.script: parsed as shell words and interpreted natively when
// it only uses the common subset (assertions, assignments, variables,
// $(normalizeStorePaths ...)); anything else runs under real bash with the
// assertion commands bound to hmt's own implementation (`hmt __assert`), so
// the verdicts are the same either way.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "assertions/assertion.h"
#include "assertions/result.h"

namespace hmt {

class ProcessRunner;

struct ScriptContext {
  AssertionContext assertion;        // tested tree, work dir, store dir
  std::string case_name;             // for messages
  std::filesystem::path helper;      // executable answering `__assert` / `__normalize` (hmt itself)
  ProcessRunner* runner = nullptr;   // runs bash for the fallback
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};  // for the bash fallback
};

ScriptOutcome run_script(std::string_view script, const ScriptContext& context);

// Why run_script would hand this script to bash (e.g. "line 3: the keyword
// 'if'"), or nullopt when hmt interprets it itself.
std::optional<std::string> why_script_needs_bash(std::string_view script);

// Runs the script under bash whatever it contains; run_script uses it for
// scripts outside the native subset, tests use it to compare both ways.
ScriptOutcome run_script_in_bash(std::string_view script, const ScriptContext& context);

// Entry point of the hidden subcommands the bash fallback calls:
//   hmt __assert NAME ARGS...   runs one assertion, appends its JSON to $HMT_RESULTS
//   hmt __normalize PATH        prints the normalized copy's path
// Reads HMT_TESTED, HMT_WORK_DIR, HMT_STORE_DIR, HMT_RESULTS, HMT_LINE.
// argv[0] is the subcommand itself.
int assert_command_main(int argc, char** argv);

}  // namespace hmt
