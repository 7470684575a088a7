// Dividing a run's cases by what the verdict cache holds
// (harness/pipeline/cache_split.cc), with a fake cache.
#include <map>
#include <set>

#include "harness/pipeline/cache_split.h"
#include "tests/catch.h"

using namespace hmt;

namespace {

struct FakeCache : CaseCache {
  std::set<std::string> verdicts, evaluations, recording;

  std::optional<CaseResult> lookup(const CaseEntry& entry) override {
    if (!verdicts.count(entry.name)) return std::nullopt;
    CaseResult r;
    r.name = entry.name;
    r.cached = true;
    return r;
  }
  std::optional<StoredEvaluation> evaluation(const CaseEntry& entry) override {
    if (!evaluations.count(entry.name)) return std::nullopt;
    return StoredEvaluation{{"/nix/store/x-" + entry.name + ".drv", "/nix/store/x-" + entry.name}, {"a warning"}};
  }
  bool wants_record(const CaseEntry& entry) override { return recording.count(entry.name) > 0; }
  void finished(const CaseEntry&, const CaseResult&, const CaseFacts&) override {}
};

std::vector<CaseEntry> entries(std::initializer_list<const char*> names) {
  std::vector<CaseEntry> out;
  for (const char* n : names) out.push_back(CaseEntry{n, std::string("/cases/") + n + ".nix", "/cases", 0, 0, false});
  return out;
}

std::vector<std::string> names_of(const std::vector<CaseEntry>& cases) {
  std::vector<std::string> out;
  for (const auto& c : cases) out.push_back(c.name);
  return out;
}

}  // namespace

TEST_CASE("without a cache every case is evaluated, none recorded") {
  CacheSplit split = split_by_cache(entries({"a", "b"}), nullptr, 25);
  CHECK(split.cached.empty());
  CHECK(split.to_build.empty());
  CHECK(names_of(split.to_evaluate) == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(split.to_evaluate[0].record);
}

TEST_CASE("a stored verdict wins over a stored evaluation, which wins over evaluating") {
  FakeCache cache;
  cache.verdicts = {"a", "b"};
  cache.evaluations = {"b", "c"};
  cache.recording = {"d"};
  CacheSplit split = split_by_cache(entries({"a", "b", "c", "d", "e"}), &cache, 25);
  REQUIRE(split.cached.size() == 2);
  CHECK(split.cached[0].name == "a");
  CHECK(split.cached[1].name == "b");
  REQUIRE(split.to_build.size() == 1);
  REQUIRE(split.to_build[0].size() == 1);
  CHECK(split.to_build[0][0].entry.name == "c");
  CHECK(split.to_build[0][0].manifest.out == "/nix/store/x-c");
  CHECK(split.to_build[0][0].warnings == std::vector<std::string>{"a warning"});
  CHECK(names_of(split.to_evaluate) == std::vector<std::string>{"d", "e"});
  CHECK(split.to_evaluate[0].record);
  CHECK_FALSE(split.to_evaluate[1].record);
}

TEST_CASE("stored evaluations go to the builders in chunks of the evaluators' size, in order") {
  FakeCache cache;
  cache.evaluations = {"a", "b", "c", "d", "e"};
  CacheSplit split = split_by_cache(entries({"a", "b", "c", "d", "e"}), &cache, 2);
  REQUIRE(split.to_build.size() == 3);
  CHECK(split.to_build[0].size() == 2);
  CHECK(split.to_build[1].size() == 2);
  REQUIRE(split.to_build[2].size() == 1);
  CHECK(split.to_build[2][0].entry.name == "e");
  // A chunk size of 0 is taken as 1, never an endless loop.
  CHECK(split_by_cache(entries({"a", "b"}), &cache, 0).to_build.size() == 2);
}
