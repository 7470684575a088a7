// Typed outcomes shared by assertions, the harness and the reporters.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace hmt {

// lit-style result codes: a case or an assertion is never just a boolean.
enum class Status { Pass, Fail, Skip, Timeout, Error };

std::string_view to_string(Status status);
std::optional<Status> status_from_string(std::string_view text);

// The verdict of one assertion command of an nmt.script.
struct AssertionResult {
  std::string name;               // e.g. "assertFileContains"
  std::vector<std::string> args;  // arguments as the script passed them
  int line = 0;                   // 1-based line in the script, 0 if unknown
  int case_line = 0;              // that line in the case file, 0 if unknown
  Status status = Status::Pass;   // Pass, Fail, or Error (bad usage, unreadable file)
  std::string message;            // one human sentence, names the file
  std::string file;               // the tested path the assertion is about, if any
  std::optional<std::string> expected;
  std::optional<std::string> actual;
  std::optional<std::string> diff;  // unified diff, when it helps
  // For assertFileContent: both files as resolved absolute paths, so
  // --update-golden can find the expected file's source and rewrite it.
  std::optional<std::string> expected_path;
  std::optional<std::string> actual_path;
};

// The outcome of running a case's script: every assertion, plus a script
// level error (parse error, unknown command, bash failure) if there was one.
struct ScriptOutcome {
  std::vector<AssertionResult> assertions;
  std::optional<std::string> error;  // names the line and the command
  std::string output;                // anything the script printed (bash fallback)
  bool used_bash = false;            // true when the script ran under real bash
};

// What --update-golden did with the expected file of one failing
// assertFileContent.
struct GoldenNote {
  std::string expected;  // the expected file the assertion compared with
  bool updated = false;
  std::string message;   // "updated <source>", or why it was not
};

struct CaseResult {
  std::string name;
  std::string file;  // the case module, as the case folder lists it
  int line = 0;      // where `file` defines the case, when inline; 0 if unknown
  std::string tested;  // the tested tree's store path, once built
  Status status = Status::Pass;
  std::string reason;     // why Skip / Error / Timeout / Fail, one line
  std::string nix_error;  // Nix's own message for evaluation or build errors
  std::vector<AssertionResult> assertions;
  std::string output;  // script output worth showing (bash fallback)
  std::chrono::milliseconds duration{0};
  std::string rerun;  // a command that runs this case alone, where known
  std::vector<std::string> warnings;  // what evaluating the case warned about
  std::vector<GoldenNote> golden;     // --update-golden's doing, per failing assertFileContent
  // The verdict of an earlier run whose inputs were the same (hmt's
  // verdict cache): reported as it was, nothing evaluated or built.
  bool cached = false;
};

// Folds assertion verdicts and a script error into a case status:
// any Error -> Error, else any Fail -> Fail, else Pass.
Status case_status(const ScriptOutcome& outcome);

void to_json(nlohmann::json& j, const AssertionResult& r);
void from_json(const nlohmann::json& j, AssertionResult& r);

// A verdict as the cache keeps it: what the reports show of a case, without
// its rerun command, duration and cached flag, which belong to a run.
void to_json(nlohmann::json& j, const CaseResult& r);
void from_json(const nlohmann::json& j, CaseResult& r);

}  // namespace hmt
