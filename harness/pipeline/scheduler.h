// Evaluation as a stream, in the way nix-eval-jobs does it: the selected
// cases are cut into chunks on one queue, `jobs` workers each take the
// next chunk and evaluate its cases one at a time, and a chunk is handed on
// as soon as it is evaluated, so building starts while later chunks
// evaluate.
//
// Chunks shrink towards the end of the queue (guided self-scheduling), so
// that the workers finish together; the first `jobs` are small, so that
// the first results come within seconds. A case that fails costs only
// itself. No worker idles while cases wait behind a slow or hung one: a
// worker that finds the queue empty takes the later half of the cases left
// in the fullest chunk being evaluated.
#pragma once

#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

#include "harness/nix/evaluation.h"

namespace hmt {

struct ScheduleOptions {
  int jobs = 1;
  // The most cases a chunk holds. Evaluators persist across chunks, so a
  // chunk costs only its build call: large enough that builds are few,
  // small enough that the queue balances the workers.
  std::size_t chunk_size = 25;
  // The first `jobs` chunks hold this many cases (at most chunk_size).
  std::size_t first_chunk_size = 2;
};

struct EvaluatedCase {
  CaseEntry entry;
  ManifestPaths manifest;
  std::vector<std::string> warnings;  // printed while it evaluated
};

struct ScheduleCallbacks {
  // One call per evaluated chunk (its cases that evaluated), from a worker.
  std::function<void(std::vector<EvaluatedCase>)> evaluated;
  // A case that did not evaluate, with why (timed out and interrupted
  // included) and the warnings it printed before it failed.
  std::function<void(const CaseEntry&, const NixFailure&, const std::vector<std::string>& warnings)> failed;
  // Every case the evaluator answered, before `evaluated` or `failed`: what
  // its evaluation took and, when asked for, its definition files.
  std::function<void(const CaseEntry&, const CaseEvaluation&)> answered;
  // A case that was not evaluated because the run is stopping.
  std::function<void(const CaseEntry&)> dropped;
  // Asked before each case: true ends the run (fail-fast, interrupt).
  std::function<bool()> stopping;
  // After each chunk: its size and how the evaluator did.
  std::function<void(std::size_t cases, const ChunkEvaluation&)> chunk_evaluated;
  // Progress: cases evaluated (or failed) so far.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

struct ScheduleStats {
  std::size_t chunk_evaluations = 0;   // chunks evaluated, taken ones included
  std::size_t evaluators_started = 0;  // as the evaluator reported them
};

// The chunks `cases` is cut into: the first `jobs` hold first_chunk_size;
// each later one a 1/(2 jobs) share of what is left, at most chunk_size.
std::vector<std::vector<CaseEntry>> cut_into_chunks(const std::vector<CaseEntry>& cases,
                                                    const ScheduleOptions& options);

class Scheduler {
 public:
  Scheduler(CaseEvaluator& evaluator, ScheduleOptions options);

  // Returns when every case was handed to exactly one callback.
  ScheduleStats run(const std::vector<CaseEntry>& cases, const ScheduleCallbacks& callbacks);

 private:
  CaseEvaluator& evaluator_;
  ScheduleOptions options_;
};

}  // namespace hmt
