// What the three ways of running nmt.script share: the per-case context, and
// the results and messages that must read the same whether the native
// interpreter, the bash fallback or the hidden `hmt __assert` commands
// produced them.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

inline constexpr std::string_view kNormalizeCommand = "normalizeStorePaths";
inline constexpr std::string_view kFailCommand = "fail";

// "case, line 3: what", leaving out whatever is unknown.
std::string located(const ScriptContext& context, int line, std::string_view what);

AssertionResult error_result(std::string_view name, std::vector<std::string> args, int line,
                             std::string message);

// The Error recorded for a command that is neither an assertion nor a program.
AssertionResult unknown_command(const Invocation& call);

// normalizeStorePaths as the script calls it: the copy's path, or the Error
// it reports.
struct Normalized {
  std::string path;
  std::optional<AssertionResult> failure;
};
Normalized normalize_command(const std::vector<std::string>& args, int line,
                             const AssertionContext& context);

// Appends a result; the first one that is also a script-level error (a
// failed normalizeStorePaths, a command nobody knows) becomes outcome.error.
void record(ScriptOutcome& outcome, AssertionResult result, const ScriptContext& context);

// The input roots as one environment value for the bash fallback's calls
// back into hmt (any bytes, as JSON), and back.
std::string input_roots_text(const std::vector<std::filesystem::path>& roots);
std::vector<std::filesystem::path> input_roots_from_text(std::string_view text);

// Keeps the end of long script output (where failures show), cut on a UTF-8
// boundary, with a note saying how much was dropped.
std::string trimmed_output(std::string text);

}  // namespace hmt
