#include "harness/scheduler.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>

#include <catch2/catch.hpp>

using namespace hmt;

namespace {

// Evaluates by the book: a case in `aborts` makes any chunk holding it
// fail as a whole, a case in `throws` fails inside its chunk, a case in
// `slow` times its chunk out; everything else evaluates.
class FakeEvaluator : public ChunkEvaluator {
 public:
  std::set<std::string> aborts, throws, slow;
  bool says_where = false;  // report which case an abort happened at, as hmt's driver traces
  std::size_t traced_results = 0;  // with says_where: results traced before the abort, at most
  std::atomic<int> chunk_calls{0}, case_calls{0};

  ChunkEvaluation evaluate_chunk(const std::vector<CaseEntry>& cases) override {
    ++chunk_calls;
    ChunkEvaluation evaluation;
    for (const auto& c : cases) {
      if (slow.count(c.name)) {
        evaluation.failure = NixFailure{NixFailure::Kind::TimedOut, "timed out"};
        return evaluation;
      }
      if (aborts.count(c.name)) {
        evaluation.failure = NixFailure{NixFailure::Kind::Failed, "error: " + c.name + " aborts"};
        if (!says_where) return evaluation;
        evaluation.aborted_at = static_cast<std::size_t>(&c - cases.data());
        for (std::size_t i = 0; i < std::min(*evaluation.aborted_at, traced_results); ++i)
          evaluation.cases.push_back(result_of(cases[i]));
        return evaluation;
      }
    }
    for (const auto& c : cases) evaluation.cases.push_back(result_of(c));
    return evaluation;
  }

  std::optional<ManifestPaths> result_of(const CaseEntry& c) const {
    if (throws.count(c.name)) return std::nullopt;
    return ManifestPaths{"/drv/" + c.name, "/out/" + c.name};
  }

  CaseEvaluation evaluate_case(const CaseEntry& entry) override {
    ++case_calls;
    CaseEvaluation evaluation;
    evaluation.failure = NixFailure{NixFailure::Kind::Failed, "error: " + entry.name + " throws"};
    return evaluation;
  }
};

std::vector<CaseEntry> numbered(int count) {
  std::vector<CaseEntry> cases;
  for (int i = 0; i < count; ++i) cases.push_back(CaseEntry{"c" + std::to_string(i), "", "", 0, 0});
  return cases;
}

struct Outcomes {
  std::mutex mutex;
  std::vector<std::vector<std::string>> chunks;  // evaluated, one entry per chunk
  std::vector<std::pair<std::string, std::string>> failed;
  std::vector<std::string> dropped;

  ScheduleCallbacks callbacks() {
    ScheduleCallbacks c;
    c.evaluated = [this](std::vector<EvaluatedCase> chunk) {
      std::lock_guard lock(mutex);
      chunks.emplace_back();
      for (const auto& e : chunk) chunks.back().push_back(e.entry.name);
    };
    c.failed = [this](const CaseEntry& entry, const NixFailure& failure) {
      std::lock_guard lock(mutex);
      failed.emplace_back(entry.name, failure.message);
    };
    c.dropped = [this](const CaseEntry& entry) {
      std::lock_guard lock(mutex);
      dropped.push_back(entry.name);
    };
    return c;
  }

  std::size_t evaluated_count() const {
    std::size_t n = 0;
    for (const auto& c : chunks) n += c.size();
    return n;
  }
};

}  // namespace

TEST_CASE("cases are cut into small first chunks, one per job, then full ones") {
  auto chunks = cut_into_chunks(numbered(30), ScheduleOptions{2, 8});
  std::vector<std::size_t> sizes;
  for (const auto& c : chunks) sizes.push_back(c.size());
  CHECK(sizes == std::vector<std::size_t>{2, 2, 8, 8, 8, 2});
  CHECK(chunks.front().front().name == "c0");
  CHECK(chunks.back().back().name == "c29");
  CHECK(cut_into_chunks({}, ScheduleOptions{2, 8}).empty());
  // However large the chunks, the first ones stay small.
  const auto big = cut_into_chunks(numbered(200), ScheduleOptions{2, 50});
  CHECK(big[0].size() == 5);
  CHECK(big[1].size() == 5);
  CHECK(big[2].size() == 50);
}

TEST_CASE("every case reaches exactly one callback, each chunk in one evaluation") {
  FakeEvaluator nix;
  Outcomes out;
  ScheduleCallbacks callbacks = out.callbacks();
  std::atomic<std::size_t> reported{0}, reported_cases{0};
  callbacks.chunk_evaluated = [&](std::size_t cases, const ChunkEvaluation&) {
    ++reported;
    reported_cases += cases;
  };
  auto stats = Scheduler(nix, ScheduleOptions{3, 4}).run(numbered(50), callbacks);
  CHECK(reported == stats.chunk_evaluations);
  CHECK(reported_cases == 50);
  CHECK(out.evaluated_count() == 50);
  CHECK(out.failed.empty());
  CHECK(stats.chunk_evaluations == cut_into_chunks(numbered(50), ScheduleOptions{3, 4}).size());
  CHECK(static_cast<std::size_t>(nix.chunk_calls) == stats.chunk_evaluations);
  CHECK(stats.splits == 0);
}

TEST_CASE("an aborting chunk is bisected: one bad case in 16 costs 2*log2(16) more evaluations") {
  FakeEvaluator nix;
  nix.aborts = {"c11"};
  Outcomes out;
  auto stats = Scheduler(nix, ScheduleOptions{1, 64, 64}).run(numbered(16), out.callbacks());
  // 16 -> 8+8 -> 4+4 -> 2+2 -> 1+1: 1 + 2 * 4 evaluations, 4 splits.
  CHECK(stats.chunk_evaluations == 9);
  CHECK(stats.splits == 4);
  CHECK(stats.case_evaluations == 0);
  REQUIRE(out.failed.size() == 1);
  CHECK(out.failed[0] == std::pair<std::string, std::string>{"c11", "error: c11 aborts"});
  CHECK(out.evaluated_count() == 15);
}

TEST_CASE("where Nix says which case aborted, the chunk is split there: no bisection") {
  FakeEvaluator nix;
  nix.aborts = {"c11"};
  nix.says_where = true;
  Outcomes out;
  auto stats = Scheduler(nix, ScheduleOptions{1, 64, 64}).run(numbered(16), out.callbacks());
  // [c0..c15] aborts at c11: c11 fails; [c0..c10] and [c12..c15] evaluate.
  CHECK(stats.chunk_evaluations == 3);
  CHECK(stats.splits == 1);
  REQUIRE(out.failed.size() == 1);
  CHECK(out.failed[0] == std::pair<std::string, std::string>{"c11", "error: c11 aborts"});
  CHECK(out.evaluated_count() == 15);
}

TEST_CASE("the cases an aborted chunk evaluated before the abort are kept, not evaluated again") {
  FakeEvaluator nix;
  nix.aborts = {"c11"};
  nix.throws = {"c3"};
  nix.says_where = true;
  nix.traced_results = 64;
  Outcomes out;
  auto stats = Scheduler(nix, ScheduleOptions{1, 64, 64}).run(numbered(16), out.callbacks());
  // [c0..c15] aborts at c11 with c0..c10 traced: only [c12..c15] is left,
  // and c3, which threw inside the chunk, is evaluated alone for its message.
  CHECK(stats.chunk_evaluations == 2);
  CHECK(stats.case_evaluations == 1);
  std::set<std::string> failed;
  for (const auto& [name, _] : out.failed) failed.insert(name);
  CHECK(failed == std::set<std::string>{"c3", "c11"});
  CHECK(out.evaluated_count() == 14);
}

TEST_CASE("cases before an abort that Nix traced no result for go back to the queue") {
  FakeEvaluator nix;
  nix.aborts = {"c11"};
  nix.says_where = true;
  nix.traced_results = 4;
  Outcomes out;
  auto stats = Scheduler(nix, ScheduleOptions{1, 64, 64}).run(numbered(16), out.callbacks());
  // c0..c3 kept; [c4..c10] and [c12..c15] evaluated again.
  CHECK(stats.chunk_evaluations == 3);
  CHECK(out.evaluated_count() == 15);
  REQUIRE(out.chunks.size() == 3);
  CHECK(out.chunks[0] == std::vector<std::string>{"c0", "c1", "c2", "c3"});
}

TEST_CASE("two aborting cases are both found, and the good cases around them still evaluate") {
  FakeEvaluator nix;
  nix.aborts = {"c0", "c7"};
  nix.says_where = GENERATE(false, true);
  Outcomes out;
  Scheduler(nix, ScheduleOptions{2, 32}).run(numbered(8), out.callbacks());
  std::set<std::string> failed;
  for (const auto& [name, _] : out.failed) failed.insert(name);
  CHECK(failed == std::set<std::string>{"c0", "c7"});
  CHECK(out.evaluated_count() == 6);
}

TEST_CASE("a case that throws inside its chunk is evaluated alone once for its message") {
  FakeEvaluator nix;
  nix.throws = {"c2"};
  Outcomes out;
  auto stats = Scheduler(nix, ScheduleOptions{1, 64, 64}).run(numbered(5), out.callbacks());
  CHECK(stats.chunk_evaluations == 1);
  CHECK(stats.case_evaluations == 1);
  REQUIRE(out.failed.size() == 1);
  CHECK(out.failed[0].second == "error: c2 throws");
  REQUIRE(out.chunks.size() == 1);
  CHECK(out.chunks[0] == std::vector<std::string>{"c0", "c1", "c3", "c4"});
}

TEST_CASE("a chunk that times out is not bisected: its cases' time was spent") {
  FakeEvaluator nix;
  nix.slow = {"c1"};
  Outcomes out;
  auto stats = Scheduler(nix, ScheduleOptions{1, 64, 64}).run(numbered(4), out.callbacks());
  CHECK(stats.chunk_evaluations == 1);
  CHECK(stats.splits == 0);
  CHECK(out.failed.size() == 4);
}

TEST_CASE("once the run is stopping, the chunks not yet taken are dropped, not evaluated") {
  FakeEvaluator nix;
  Outcomes out;
  ScheduleCallbacks callbacks = out.callbacks();
  callbacks.stopping = [&] { return nix.chunk_calls >= 1; };
  Scheduler(nix, ScheduleOptions{1, 4}).run(numbered(20), callbacks);
  CHECK(nix.chunk_calls == 1);
  CHECK(out.evaluated_count() + out.dropped.size() == 20);
  CHECK(out.dropped.size() == 19);
}

TEST_CASE("progress counts every case once, up to the total") {
  FakeEvaluator nix;
  nix.aborts = {"c3"};
  Outcomes out;
  ScheduleCallbacks callbacks = out.callbacks();
  std::vector<std::size_t> seen;
  callbacks.progress = [&](std::size_t done, std::size_t total) {
    CHECK(total == 10);
    seen.push_back(done);
  };
  Scheduler(nix, ScheduleOptions{1, 8}).run(numbered(10), callbacks);
  REQUIRE_FALSE(seen.empty());
  CHECK(seen.back() == 10);
  CHECK(std::is_sorted(seen.begin(), seen.end()));
}
