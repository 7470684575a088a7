// Talks to Nix: lists the cases of every source in one evaluation,
// evaluates chunks of cases to manifest derivations, realises a chunk's
// manifests in one call. Every call is one child process (argv, no shell)
// through a ProcessRunner, so tests can fake Nix.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "harness/evaluation.h"
#include "process/expected.h"
#include "process/process.h"

namespace hmt {

struct NixSettings {
  std::filesystem::path driver;     // harness/nix/driver.nix
  std::filesystem::path evaluator;  // turns case modules into tested trees
  std::vector<std::filesystem::path> modules;          // for every case (--module)
  std::vector<std::filesystem::path> default_modules;  // for cases outside an nmt suite
  // Passed to every Nix call: -I, --option NAME VALUE, --builders, and for
  // evaluations also --arg / --argstr.
  std::vector<std::string> eval_args;
  std::vector<std::string> build_args;
  std::optional<std::chrono::milliseconds> timeout;  // per Nix process
};

// What --cases named, and what came of listing it.
struct SourceListing {
  std::filesystem::path path;
  std::vector<CaseEntry> cases;   // sorted by name
  std::optional<NixFailure> failure;  // the source could not be loaded
};

struct Realisation {
  std::optional<NixFailure> failure;    // the call as a whole
  std::vector<std::string> timed_out;   // derivations whose build hit the time limit
  // Derivations whose builder failed, each with Nix's error line for it.
  std::map<std::string, std::string> failed_builds;
};

class NixDriver : public ChunkEvaluator {
 public:
  NixDriver(ProcessRunner& runner, NixSettings settings);

  // Every source in one evaluation; a source that cannot be loaded is
  // listed again alone for Nix's own message, the others are unaffected.
  std::vector<SourceListing> list_sources(const std::vector<std::filesystem::path>& sources);

  // Needs the sources `list_sources` was given.
  ChunkEvaluation evaluate_chunk(const std::vector<CaseEntry>& cases) override;
  // One case alone, unprotected, to get Nix's own error message.
  CaseEvaluation evaluate_case(const CaseEntry& entry) override;

  // Builds every derivation in one Nix call, going on past failures; which
  // ones were built is for the caller to check (their outputs exist). The
  // time limit holds for each build (Nix's own `timeout`), so one hung
  // build does not stop the others.
  Realisation realise(const std::vector<std::string>& drvs);
  // The derivations `drv` needs, itself included.
  std::set<std::string> requisites(const std::string& drv);
  // One derivation alone, for its own build error.
  std::optional<NixFailure> build(const std::string& drv);
  // The end of the log Nix kept of a derivation's last build; nullopt when
  // it kept none (keep-build-log off, or never built here).
  std::optional<std::string> build_log(const std::string& drv);

  // The argv an evaluation uses, for --verbose and tests.
  std::vector<std::string> evaluation_command(const std::string& attribute,
                                              const std::vector<CaseEntry>& cases) const;

 private:
  std::vector<std::string> command_for(const std::string& attribute, const std::vector<std::string>& sources,
                                       const std::vector<CaseEntry>& cases) const;
  Expected<std::vector<CaseEntry>> list_alone(std::size_t index);
  ProcessResult run(std::vector<std::string> argv, std::optional<std::chrono::milliseconds> timeout);
  ProcessResult run(std::vector<std::string> argv) { return run(std::move(argv), settings_.timeout); }
  std::vector<std::string> build_command(const std::vector<std::string>& drvs) const;

  ProcessRunner& runner_;
  NixSettings settings_;
  std::vector<std::string> sources_;
};

// How a Nix call that gave no answer failed.
NixFailure failure_of(const ProcessResult& result, const std::string& what);

// Nix's stderr minus progress noise, cut to the part that explains.
std::string summarize_nix_error(const std::string& stderr_text);

}  // namespace hmt
