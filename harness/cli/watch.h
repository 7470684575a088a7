// --watch: run the selection, then wait; when a file of the case sources
// or the home-manager checkout changes, run the cases the change affects
// (by the record; every selected case without one) with fresh evaluators,
// so that no evaluator's parsed files are stale, and wait again. It ends
// when the run is cancelled (Ctrl-C, SIGTERM), with no child left.
#pragma once

#include <functional>
#include <memory>
#include <ostream>

#include "harness/cli/nix_run.h"
#include "process/file_watch.h"

namespace hmt {

// `reporters`: a fresh set of reporters for each round (a TAP stream, a
// JUnit file per round). Returns the last round's exit status.
int watch(const NixRun& run, const std::function<std::unique_ptr<ReporterSet>()>& reporters, FileWatch& files,
          std::ostream& log);

}  // namespace hmt
