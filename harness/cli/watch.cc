#include "harness/cli/watch.h"

#include <fmt/core.h>

namespace hmt {

namespace {
// Editors save in bursts (a temporary file, a rename, a chmod).
constexpr std::chrono::milliseconds kSettle{100};
}  // namespace

int watch(const NixRun& run, const std::function<std::unique_ptr<ReporterSet>()>& reporters, FileWatch& files,
          std::ostream& log) {
  Cancellation& cancellation = run.processes.cancellation();
  WatchRound round;
  auto first = reporters();
  if (!first) return kExitUsage;
  int status = run_with_nix(run, *first, &round);
  first.reset();
  if (status == kExitUsage) return status;
  while (!cancellation.requested()) {
    auto watched = files.watch(round.trees);
    if (!watched) {
      log << "hmt: --watch: " << watched.error() << "\n";
      return kExitUsage;
    }
    std::string trees;
    for (const auto& tree : round.trees) trees += (trees.empty() ? "" : ", ") + tree.string();
    log << fmt::format("hmt: --watch: watching {} folder{} of {} for changes; Ctrl-C ends\n", *watched,
                       *watched == 1 ? "" : "s", trees);
    log.flush();
    if (!files.wait([&] { return cancellation.requested(); }, kSettle)) break;
    round.first = false;
    auto set = reporters();
    if (!set) return kExitUsage;
    const int again = run_with_nix(run, *set, &round);
    if (again == kExitUsage && !cancellation.requested()) return again;
    if (round.ran) status = again;
    else log << "hmt: --watch: no case is affected by that change\n";
  }
  return status;
}

}  // namespace hmt
