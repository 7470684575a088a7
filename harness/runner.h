// The pipeline: shard the selected cases over `jobs` workers; each worker
// evaluates its shard in one Nix call, builds each case's manifest as soon
// as the shard is evaluated and asserts it as soon as it is built, so
// results stream out while other shards still evaluate.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "harness/manifest.h"
#include "harness/nix_driver.h"
#include "harness/reporter.h"

namespace hmt {

struct RunOptions {
  int jobs = 1;
  bool fail_fast = false;
  bool update_golden = false;
  bool verbose = false;  // print each case's script output on stderr
  std::filesystem::path helper;  // answers `__assert` for the bash fallback: hmt itself
  std::chrono::milliseconds script_timeout{std::chrono::minutes(5)};
  std::filesystem::path store_dir = "/nix/store";
};

class Runner {
 public:
  Runner(ProcessRunner& processes, Reporter& reporter, RunOptions options);

  // Reports run_started, every case, run_finished.
  RunSummary run_cases(NixDriver& nix, const std::vector<CaseEntry>& cases);
  // Verify-only: assert already built manifests, no Nix at all.
  RunSummary verify_manifests(const std::vector<std::filesystem::path>& manifests);

  // Runs a manifest's script against its tested tree.
  CaseResult assert_manifest(const Manifest& manifest, const std::filesystem::path& case_folder);

 private:
  void run_shard(NixDriver& nix, const std::vector<CaseEntry>& shard);
  void run_evaluated_case(NixDriver& nix, const CaseEntry& entry, const std::string& drv_path);
  void finish(CaseResult result);
  // True when no further case should start; reports `entry` as not run.
  bool stopped(const CaseEntry& entry);
  RunSummary summary_of(std::chrono::steady_clock::time_point started);

  ProcessRunner& processes_;
  Reporter& reporter_;
  RunOptions options_;
  std::mutex mutex_;
  RunSummary summary_;
  std::atomic<bool> stop_{false};
};

// "2026-11-25T16:35:38Z"
std::string utc_timestamp_now();

}  // namespace hmt
