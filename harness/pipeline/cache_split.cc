#include "harness/pipeline/cache_split.h"

#include <algorithm>

namespace hmt {

CacheSplit split_by_cache(const std::vector<CaseEntry>& selected, CaseCache* cache, std::size_t chunk_size) {
  CacheSplit split;
  std::vector<EvaluatedCase> evaluated_before;
  for (CaseEntry entry : selected) {
    if (cache) {
      if (auto hit = cache->lookup(entry)) {
        split.cached.push_back(std::move(*hit));
        continue;
      }
      if (auto known = cache->evaluation(entry)) {
        evaluated_before.push_back({entry, known->manifest, known->warnings});
        continue;
      }
      entry.record = cache->wants_record(entry);
    }
    split.to_evaluate.push_back(std::move(entry));
  }
  const std::size_t size = std::max<std::size_t>(1, chunk_size);
  for (std::size_t at = 0; at < evaluated_before.size(); at += size) {
    const auto end = std::min(evaluated_before.size(), at + size);
    split.to_build.emplace_back(evaluated_before.begin() + static_cast<std::ptrdiff_t>(at),
                                evaluated_before.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return split;
}

}  // namespace hmt
