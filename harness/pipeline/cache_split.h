// How a run's selected cases divide before anything is evaluated, given
// the verdict cache: verdicts that stand, cases whose evaluation stands
// (they only need building and checking), and cases to evaluate.
#pragma once

#include <cstddef>
#include <vector>

#include "assertions/result.h"
#include "harness/cache/case_cache.h"
#include "harness/pipeline/scheduler.h"

namespace hmt {

struct CacheSplit {
  std::vector<CaseResult> cached;                     // reported as they were
  std::vector<std::vector<EvaluatedCase>> to_build;   // chunks for the builders
  std::vector<CaseEntry> to_evaluate;                 // each marked for the record when the cache asks
};

// In the order of `selected`; without a cache every case is evaluated.
// Chunks of `to_build` hold at most `chunk_size` cases, as the evaluators'.
CacheSplit split_by_cache(const std::vector<CaseEntry>& selected, CaseCache* cache, std::size_t chunk_size);

}  // namespace hmt
