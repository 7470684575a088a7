// Talks to Nix: lists cases, evaluates shards of cases to manifest
// derivations, builds them. Every call is one child process (argv, no shell)
// through a ProcessRunner, so tests can fake Nix.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "process/expected.h"
#include "process/process.h"

namespace hmt {

struct NixSettings {
  std::filesystem::path driver;     // harness/nix/driver.nix
  std::filesystem::path evaluator;  // turns case modules into tested trees
  std::vector<std::filesystem::path> modules;
  // Passed to every Nix call: -I, --option NAME VALUE, --builders, and for
  // evaluations also --arg / --argstr.
  std::vector<std::string> eval_args;
  std::vector<std::string> build_args;
  std::optional<std::chrono::milliseconds> timeout;  // per Nix process
};

struct CaseEntry {
  std::string name;
  std::string file;    // the case module
  std::string folder;  // the case folder it came from
};

// How one Nix call ended, when it did not give an answer.
struct NixFailure {
  enum class Kind { Failed, TimedOut, Cancelled };
  Kind kind = Kind::Failed;
  std::string message;  // Nix's own error output, trimmed
};

struct ShardEvaluation {
  std::map<std::string, std::string> drv_paths;  // evaluated cases
  std::vector<std::string> failed;               // cases whose evaluation threw
  std::optional<NixFailure> failure;             // the shard as a whole gave no answer
};

struct CaseEvaluation {
  std::optional<std::string> drv_path;
  std::optional<NixFailure> failure;
};

struct CaseBuild {
  std::optional<std::filesystem::path> manifest;
  std::optional<NixFailure> failure;
};

class NixDriver {
 public:
  NixDriver(ProcessRunner& runner, NixSettings settings);

  // The cases of one folder.
  Expected<std::vector<CaseEntry>> list_cases(const std::filesystem::path& folder);
  // One evaluation for many cases; evaluation errors of single cases are
  // caught inside Nix (tryEval), harder ones fail the shard.
  ShardEvaluation evaluate_shard(const std::vector<CaseEntry>& cases);
  // One case alone, unprotected, to get Nix's own error message.
  CaseEvaluation evaluate_case(const CaseEntry& entry);
  CaseBuild build(const std::string& drv_path);

  // The argv the calls use, for --verbose and tests.
  std::vector<std::string> evaluation_command(const std::string& attribute,
                                              const std::vector<CaseEntry>& cases) const;

 private:
  std::vector<std::string> command_for(const std::string& attribute, const std::vector<std::string>& folders,
                                       const std::vector<std::string>& names) const;
  std::string spec_json(const std::vector<std::string>& folders,
                        const std::vector<std::string>& names) const;
  ProcessResult run(std::vector<std::string> argv);

  ProcessRunner& runner_;
  NixSettings settings_;
};

// Nix's stderr minus progress noise, cut to the part that explains.
std::string summarize_nix_error(const std::string& stderr_text);

}  // namespace hmt
