// One run of the cases with Nix: list the sources, select the cases (by
// pattern, --affected, --last-failed, --failed-first, --shard), take what
// the verdict cache holds, run the rest, and keep what the run learned.
#pragma once

#include <filesystem>
#include <vector>

#include "harness/cli/cli.h"
#include "harness/pipeline/runner.h"
#include "harness/report/reporter.h"
#include "process/process.h"

namespace hmt {

// Where the Nix glue, the bundled module and the bundled cases are.
struct DataDirs {
  std::filesystem::path nix;
  std::filesystem::path modules;
  std::filesystem::path cases;
};

struct NixRun {
  const CliOptions& options;
  DataDirs data;
  ProcessRunner& processes;
  RunOptions run_options;  // the run's settings; input_roots and the cache are added here
};

// What --watch needs between rounds.
struct WatchRound {
  bool first = true;  // the first round runs the selection; later ones what a change affected
  std::vector<std::filesystem::path> trees;  // out: the trees whose changes start a round
  bool ran = false;                          // out: false when nothing was affected
};

inline constexpr int kExitPassed = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;  // also: a report could not be written

// A setup error after reporting began still leaves a well-formed stream.
int setup_failed(ReporterSet& reporters, const std::string& message);

int run_with_nix(const NixRun& run, ReporterSet& reporters, WatchRound* round = nullptr);

std::filesystem::path absolute_path(const std::filesystem::path& p);

}  // namespace hmt
