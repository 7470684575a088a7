// Talks to Nix: lists the cases of every source in one evaluation,
// evaluates cases to manifest derivations in persistent evaluators, realises
// a chunk's manifests in one call. Every child (argv, no shell) goes through
// a ProcessRunner, so tests can fake Nix.
//
// Evaluators are `nix repl` sessions, one per worker thread, fed a case a
// line, as nix-eval-jobs feeds its workers: nixpkgs and home-manager are
// imported once per evaluator, not once per chunk, and a case whose
// evaluation fails (even with an error tryEval cannot catch) prints its own
// error while the evaluator goes on. An evaluator that crashed, timed out
// or passed the memory limit is replaced before the next case.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "harness/nix/evaluation.h"
#include "harness/nix/nix_error.h"
#include "process/expected.h"
#include "process/process.h"
#include "process/temporary_folder.h"

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
  std::optional<std::chrono::milliseconds> timeout;  // per Nix process, per case evaluated
  // An evaluator whose peak memory passed this is replaced after its case
  // (nix-eval-jobs does so at 4 GiB); home-manager's suite levels off near
  // 500 MiB.
  std::size_t evaluator_memory_limit_kib = 1024 * 1024;
  bool lix = false;  // from probe_nix: the evaluators are Lix's repl
};

// What the evaluators need to know of the Nix they run on.
struct NixProbe {
  bool lix = false;
  std::string version;  // what `nix --version` said
};
// Runs `nix --version`.
Expected<NixProbe> probe_nix(ProcessRunner& runner);

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

class NixDriver : public CaseEvaluator {
 public:
  NixDriver(ProcessRunner& runner, NixSettings settings);
  ~NixDriver() override;
  NixDriver(const NixDriver&) = delete;
  NixDriver& operator=(const NixDriver&) = delete;

  // Every source in one evaluation; a source that cannot be loaded is
  // listed again alone for Nix's own message, the others are unaffected.
  std::vector<SourceListing> list_sources(const std::vector<std::filesystem::path>& sources);

  // Needs the sources `list_sources` was given. Each case gets its
  // manifest or its own Nix error.
  CaseEvaluation evaluate_case(const CaseEntry& entry, EvaluatorUse& use) override;
  // Each case in turn, on the calling thread's evaluator.
  ChunkEvaluation evaluate_chunk(const std::vector<CaseEntry>& cases);
  // Ends the calling thread's evaluator.
  void worker_finished() override;

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

  // Before the first evaluator starts.
  void use_probe(const NixProbe& probe) { settings_.lix = probe.lix; }

  // How an evaluator is started and set up, for --verbose and tests.
  ProcessSpec evaluator_spec() const;
  std::string evaluator_setup() const;

 private:
  std::vector<std::string> listing_command(const std::string& attribute, const std::vector<std::string>& sources) const;
  std::string spec_json() const;

  // One request (driver.nix's `function`: evaluate or evaluateHex) for a case.
  CaseEvaluation evaluate_request(const CaseEntry& entry, std::string_view function, EvaluatorUse& use);
  std::size_t next_id();
  // Sends request `id` with its end marker and reads the reply; nullopt
  // when the evaluator went away before it was asked (it is then ended).
  std::optional<SessionReply> exchange(Session& session, const std::string& request, std::size_t id,
                                       EvaluatorUse& use);
  // A record the case's own request did not give, asked for alone: as
  // that request would have (precise: when its case failed before
  // recording began), then loose (definition-files.nix).
  DefinitionRecord record_alone(const CaseEntry& entry, EvaluatorUse& use, bool precise);
  // The calling thread's evaluator, started and set up if need be; nullptr
  // with `failure` filled when there can be none.
  Session* thread_evaluator(EvaluatorUse& use, NixFailure& failure);
  void end_thread_evaluator();
  // True until a record of a case of `source` gave the files declaring
  // options (the same for each of its cases), which `record` then notes.
  bool wants_modules(int source);
  DefinitionRecord noted(int source, DefinitionRecord record);
  Expected<std::vector<CaseEntry>> list_alone(std::size_t index);
  ProcessResult run(std::vector<std::string> argv, std::optional<std::chrono::milliseconds> timeout);
  ProcessResult run(std::vector<std::string> argv) { return run(std::move(argv), settings_.timeout); }
  std::vector<std::string> build_command(const std::vector<std::string>& drvs) const;
  // hmt's own Nix files, whose frames Nix errors leave out.
  std::string own_nix_dir() const { return settings_.driver.parent_path().string(); }

  ProcessRunner& runner_;
  NixSettings settings_;
  std::vector<std::string> sources_;

  std::mutex evaluators_mutex_;
  std::optional<TemporaryFolder> repl_data_;  // the repls' XDG_DATA_HOME: no history in the user's home
  std::optional<std::string> setup_failure_;  // setting an evaluator up failed: so would every other
  std::map<std::thread::id, std::unique_ptr<Session>> evaluators_;
  std::size_t next_request_ = 0;
  std::set<int> modules_known_;
};

// How a Nix call that gave no answer failed.
NixFailure failure_of(const ProcessResult& result, const std::string& what, std::string_view own_nix_dir = {});

// Nix's stderr about a failure: progress lines, hmt's own traces and escape
// codes dropped, the innermost error first with the trace frames outside
// hmt's own Nix files (`own_nix_dir`) after it (read_nix_error), cut to
// the error and the end of the rest.
NixError explain_nix_error(std::string_view stderr_text, std::string_view own_nix_dir = {});
std::string summarize_nix_error(std::string_view stderr_text);

// A failure of kind Failed from Nix's stderr, or `fallback` when it said nothing.
NixFailure failed_with(std::string_view stderr_text, std::string_view own_nix_dir, std::string fallback);

}  // namespace hmt
