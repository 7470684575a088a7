// Evaluation as a stream, in the way nix-eval-jobs does it: the selected
// cases are cut into chunks on one queue, `jobs` workers each take the
// next chunk and evaluate it in one call, and a chunk is handed on as soon
// as it is evaluated, so building starts while later chunks evaluate.
//
// A chunk whose evaluation aborts as a whole (an error that tryEval cannot
// catch: a missing attribute, a type error, infinite recursion) is split:
// where Nix said which case it was at, that case fails with the error and
// the cases before and after it go back as two chunks; otherwise the chunk
// is bisected, until the failing cases stand alone with Nix's own error.
// The parts go to the front of the queue. A case that threw inside its
// chunk is evaluated once more alone for its message. A chunk that timed out or was
// interrupted is not retried: its cases' time was spent.
#pragma once

#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

#include "harness/evaluation.h"

namespace hmt {

struct ScheduleOptions {
  int jobs = 1;
  // Cases per evaluator process. Each process pays nixpkgs' and
  // home-manager's import once; on home-manager's suite 50 took 15% less
  // time than 20 at the same peak memory (about 480 MiB: Nix's collector
  // frees each case's garbage).
  std::size_t chunk_size = 50;
  // The first `jobs` chunks hold a quarter of chunk_size, at most this many
  // cases, so that the first results come within seconds.
  std::size_t first_chunk_max = 5;
};

struct EvaluatedCase {
  CaseEntry entry;
  ManifestPaths manifest;
};

struct ScheduleCallbacks {
  // One call per evaluated chunk (its cases that evaluated), from a worker.
  std::function<void(std::vector<EvaluatedCase>)> evaluated;
  // A case that did not evaluate, with why.
  std::function<void(const CaseEntry&, const NixFailure&)> failed;
  // A case that was not evaluated because the run is stopping.
  std::function<void(const CaseEntry&)> dropped;
  // Asked before each chunk: true ends the run (fail-fast, interrupt).
  std::function<bool()> stopping;
  // After each chunk evaluation: its size and how the evaluator did.
  std::function<void(std::size_t cases, const ChunkEvaluation&)> chunk_evaluated;
  // Progress: cases evaluated (or failed) so far.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

struct ScheduleStats {
  std::size_t chunk_evaluations = 0;  // evaluate_chunk calls
  std::size_t case_evaluations = 0;   // evaluate_case calls
  std::size_t splits = 0;             // chunks split (at the failing case, or in halves)
};

// The chunks `cases` is cut into: the first `jobs` are small (see
// first_chunk_max); the rest are `chunk_size`.
std::vector<std::vector<CaseEntry>> cut_into_chunks(const std::vector<CaseEntry>& cases,
                                                    const ScheduleOptions& options);

class Scheduler {
 public:
  Scheduler(ChunkEvaluator& evaluator, ScheduleOptions options);

  // Returns when every case was handed to exactly one callback.
  ScheduleStats run(const std::vector<CaseEntry>& cases, const ScheduleCallbacks& callbacks);

 private:
  ChunkEvaluator& evaluator_;
  ScheduleOptions options_;
};

}  // namespace hmt
