// The runner and the verdict cache (harness/pipeline/runner.cc with a fake
// CaseCache): what the cache holds is reported or built without being
// evaluated, and the cache is told of every case with what the run
// learned about it.
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "tests/catch.h"
#include "tests/runner_fixture.h"

using namespace hmt;
using namespace hmt::testing::runner;

namespace {

struct FakeCache : CaseCache {
  std::map<std::string, CaseResult> verdicts;
  std::map<std::string, StoredEvaluation> evaluations;
  std::set<std::string> recording;
  std::mutex mutex;
  std::map<std::string, std::pair<CaseResult, CaseFacts>> told;

  std::optional<CaseResult> lookup(const CaseEntry& entry) override {
    auto it = verdicts.find(entry.name);
    if (it == verdicts.end()) return std::nullopt;
    CaseResult r = it->second;
    r.cached = true;
    return r;
  }
  std::optional<StoredEvaluation> evaluation(const CaseEntry& entry) override {
    auto it = evaluations.find(entry.name);
    return it == evaluations.end() ? std::nullopt : std::optional<StoredEvaluation>(it->second);
  }
  bool wants_record(const CaseEntry& entry) override { return recording.count(entry.name) > 0; }
  void finished(const CaseEntry& entry, const CaseResult& result, const CaseFacts& facts) override {
    std::lock_guard lock(mutex);
    told[entry.name] = {result, facts};
  }
};

CaseResult stored_failure(const std::string& name) {
  CaseResult r;
  r.name = name;
  r.file = "/cases/" + name + ".nix";
  r.status = Status::Fail;
  r.reason = "1 of 1 assertions failed";
  return r;
}

}  // namespace

TEST_CASE("a cached verdict is reported as it was, without evaluating or building the case") {
  Fixture f;
  FakeCache cache;
  cache.verdicts["a"] = stored_failure("a");
  RunOptions options;
  options.cache = &cache;
  auto summary = f.run(entries({"a", "b"}), options);
  CHECK(f.nix_state.evaluations == 1);  // b only
  CHECK(f.nix_state.build_calls == 1);
  CHECK(f.reporter.get("a").cached);
  CHECK(f.reporter.get("a").status == Status::Fail);
  CHECK_FALSE(f.reporter.get("b").cached);
  CHECK(summary.cached == 1);
  CHECK(summary.failed == 1);
  CHECK(summary.passed == 1);
  CHECK(f.reporter.planned == std::vector<std::string>{"a", "b"});
  // The cache hears of both; the cached one as cached.
  REQUIRE(cache.told.count("a"));
  CHECK(cache.told["a"].first.cached);
}

TEST_CASE("a stored evaluation is built and checked without evaluating the case again") {
  Fixture f;
  FakeCache cache;
  cache.evaluations["a"] = StoredEvaluation{ManifestPaths{"/drv/a", f.nix_state.manifest_path("a").string()}, {}};
  RunOptions options;
  options.cache = &cache;
  auto summary = f.run(entries({"a", "b"}), options);
  CHECK(f.nix_state.evaluations == 1);
  CHECK(summary.passed == 2);
  CHECK_FALSE(f.reporter.get("a").cached);
  REQUIRE(cache.told.count("a"));
  CHECK(cache.told["a"].second.ran);
  CHECK(cache.told["a"].second.deterministic);
}

TEST_CASE("the cache is told what the run learned: ran, deterministic, the script and the manifest") {
  Fixture f;
  f.nix_state.broken = {"broken"};
  f.nix_state.hangs = {"hangs"};
  FakeCache cache;
  RunOptions options;
  options.cache = &cache;
  f.run(entries({"ok", "broken", "hangs"}), options);
  REQUIRE(cache.told.size() == 3);
  const CaseFacts& ok = cache.told["ok"].second;
  CHECK(ok.ran);
  CHECK(ok.deterministic);
  CHECK(ok.script == "assertFileExists home-files/a.conf");
  REQUIRE(ok.manifest);
  CHECK(ok.manifest->drv == "/drv/ok");
  // An evaluation error the evaluator answered with is the inputs' doing.
  CHECK(cache.told["broken"].first.status == Status::Error);
  CHECK(cache.told["broken"].second.ran);
  CHECK(cache.told["broken"].second.deterministic);
  // A build that timed out is not.
  CHECK(cache.told["hangs"].first.status == Status::Timeout);
  CHECK_FALSE(cache.told["hangs"].second.deterministic);
}

TEST_CASE("a case the cache wants recorded is asked for its definitions") {
  Fixture f;
  FakeCache cache;
  cache.recording = {"a"};
  RunOptions options;
  options.cache = &cache;
  f.run(entries({"a", "b"}), options);
  REQUIRE(cache.told.size() == 2);
  // The fake evaluator says nothing of them: a record that is not complete.
  REQUIRE(cache.told["a"].second.definitions);
  CHECK_FALSE(cache.told["a"].second.definitions->complete);
  CHECK_FALSE(cache.told["b"].second.definitions);
}
