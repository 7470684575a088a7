// The pipeline: the scheduler evaluates chunks of the selected cases on
// `jobs` workers; each evaluated chunk's manifests are realised by one Nix
// call on one of `jobs` builders while later chunks evaluate, and each case
// is asserted as soon as its chunk is built, so results stream out.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "harness/cache/case_cache.h"
#include "harness/nix/manifest.h"
#include "harness/nix/nix_driver.h"
#include "harness/report/reporter.h"
#include "harness/pipeline/scheduler.h"

namespace hmt {

struct RunOptions {
  int jobs = 1;
  std::size_t chunk_size = 25;  // the most cases a chunk holds (see ScheduleOptions)
  bool fail_fast = false;
  bool update_golden = false;
  bool verbose = false;  // print each case's script output on stderr
  std::filesystem::path helper;  // answers `__assert` for the bash fallback: hmt itself
  std::chrono::milliseconds script_timeout{std::chrono::minutes(5)};
  std::filesystem::path store_dir = "/nix/store";
  bool warnings_as_errors = false;  // a case whose evaluation warned fails
  // What cases are made from (see AssertionContext::input_roots).
  std::vector<std::filesystem::path> input_roots;
  // The command that reruns a case alone, for failed cases' reports.
  std::function<std::string(const std::string& case_name)> rerun_command;
  // The verdict cache and record: consulted before a case is scheduled,
  // told of every case finished. None: every case runs.
  CaseCache* cache = nullptr;
};

class Runner {
 public:
  Runner(ProcessRunner& processes, Reporter& reporter, RunOptions options);

  // Reports run_started, every case, run_finished.
  // `unloaded`: sources that could not be loaded, reported first.
  RunSummary run_cases(NixDriver& nix, const std::vector<CaseEntry>& cases,
                       const std::vector<CaseResult>& unloaded = {});
  // Verify-only: assert already built manifests, no Nix at all.
  RunSummary verify_manifests(const std::vector<std::filesystem::path>& manifests);

  // Runs a manifest's script against its tested tree.
  CaseResult assert_manifest(const Manifest& manifest, const std::filesystem::path& case_folder,
                             bool* script_ran = nullptr);

  // How the last run_cases evaluated (for --verbose and tests).
  const ScheduleStats& schedule_stats() const { return stats_; }

 private:
  // Realises a chunk's manifests in one Nix call, then asserts each case.
  void build_chunk(NixDriver& nix, const std::vector<EvaluatedCase>& chunk);
  void finish_unbuilt(NixDriver& nix, const CaseEntry& entry, const ManifestPaths& paths,
                      const Realisation& realisation, std::size_t chunk_size,
                      std::chrono::steady_clock::time_point started);
  void assert_built(const CaseEntry& entry, const ManifestPaths& paths,
                    std::chrono::steady_clock::time_point started);
  // `facts`: what the caller knows of how the verdict came about; the
  // evaluation's facts are added from what the evaluator answered.
  void finish(CaseResult result, CaseFacts facts = {});
  // True when no further case should start; reports `entry` as not run.
  bool stopped(const CaseEntry& entry);
  RunSummary summary_of(std::chrono::steady_clock::time_point started);

  ProcessRunner& processes_;
  Reporter& reporter_;
  RunOptions options_;
  std::mutex mutex_;
  RunSummary summary_;
  std::atomic<bool> stop_{false};
  ScheduleStats stats_;
  // What each evaluated case warned about, until it is finished.
  std::map<std::string, std::vector<std::string>> warnings_;
  // What each case's evaluation took and recorded, until it is finished.
  std::map<std::string, CaseEvaluation> answers_;
  // The cases being run, by name, for telling the cache.
  std::map<std::string, CaseEntry> entries_;
};

// "2026-11-25T16:35:38Z"
std::string utc_timestamp_now();

}  // namespace hmt
