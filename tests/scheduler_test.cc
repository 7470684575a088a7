#include "harness/pipeline/scheduler.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "tests/catch.h"

using namespace hmt;

namespace {

// Evaluates by the book: a case in `fails` gets its own error, a case in
// `slow` times out, a case in `unanswered` gets no answer at all;
// everything else evaluates. A case in `held` waits until `release()`.
class FakeEvaluator : public CaseEvaluator {
 public:
  std::set<std::string> fails, slow, unanswered, held;
  std::atomic<int> case_calls{0}, workers_finished{0};
  std::mutex mutex;
  std::condition_variable released_;
  bool released = false;
  std::map<std::string, std::thread::id> evaluated_by;

  CaseEvaluation evaluate_case(const CaseEntry& c, EvaluatorUse& use) override {
    if (++case_calls == 1) use.evaluators_started = 1;
    {
      std::unique_lock lock(mutex);
      evaluated_by[c.name] = std::this_thread::get_id();
      // Bounded, so that a scheduler that never frees it fails the test
      // rather than hanging it.
      if (held.count(c.name)) released_.wait_for(lock, std::chrono::seconds(20), [&] { return released; });
    }
    CaseEvaluation answer;
    if (unanswered.count(c.name)) return answer;
    if (fails.count(c.name))
      answer.failure = NixFailure{NixFailure::Kind::Failed, "error: " + c.name + " fails"};
    else if (slow.count(c.name))
      answer.failure = NixFailure{NixFailure::Kind::TimedOut, "timed out"};
    else
      answer.manifest = ManifestPaths{"/drv/" + c.name, "/out/" + c.name};
    return answer;
  }

  void release() {
    {
      std::lock_guard lock(mutex);
      released = true;
    }
    released_.notify_all();
  }

  void worker_finished() override { ++workers_finished; }
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
    c.failed = [this](const CaseEntry& entry, const NixFailure& failure, const std::vector<std::string>&) {
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

TEST_CASE("cases are cut into small first chunks, one per job, then shares that shrink towards the end") {
  auto chunks = cut_into_chunks(numbered(30), ScheduleOptions{2, 8, 2});
  std::vector<std::size_t> sizes;
  for (const auto& c : chunks) sizes.push_back(c.size());
  // After 2+2: a quarter of what is left (rounded up), at most 8.
  CHECK(sizes == std::vector<std::size_t>{2, 2, 7, 5, 4, 3, 2, 2, 1, 1, 1});
  CHECK(chunks.front().front().name == "c0");
  CHECK(chunks.back().back().name == "c29");
  CHECK(cut_into_chunks({}, ScheduleOptions{2, 8}).empty());
  // A long queue is cut at chunk_size until its end comes near.
  const auto big = cut_into_chunks(numbered(200), ScheduleOptions{2, 25, 2});
  CHECK(big[0].size() == 2);
  CHECK(big[1].size() == 2);
  CHECK(big[2].size() == 25);
  CHECK(big.back().size() == 1);
  std::size_t total = 0;
  for (const auto& c : big) total += c.size();
  CHECK(total == 200);
}

TEST_CASE("every case reaches exactly one callback, each chunk is handed on as one") {
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
  CHECK(stats.chunk_evaluations >= cut_into_chunks(numbered(50), ScheduleOptions{3, 4}).size());
  CHECK(out.chunks.size() == stats.chunk_evaluations);
  CHECK(nix.case_calls == 50);
  CHECK(stats.evaluators_started == 1);
  // Each worker lets the evaluator end what it kept for it.
  CHECK(nix.workers_finished == 3);
}

TEST_CASE("a case that fails in its chunk costs only itself: no second evaluation, the others go on") {
  FakeEvaluator nix;
  nix.fails = {"c3", "c12"};
  Outcomes out;
  auto stats = Scheduler(nix, ScheduleOptions{1, 8}).run(numbered(16), out.callbacks());
  CHECK(stats.chunk_evaluations == cut_into_chunks(numbered(16), ScheduleOptions{1, 8}).size());
  CHECK(nix.case_calls == 16);
  REQUIRE(out.failed.size() == 2);
  CHECK(out.failed[0] == std::pair<std::string, std::string>{"c3", "error: c3 fails"});
  CHECK(out.failed[1] == std::pair<std::string, std::string>{"c12", "error: c12 fails"});
  CHECK(out.evaluated_count() == 14);
}

TEST_CASE("a case that times out fails as such, and its chunk's other cases keep their answers") {
  FakeEvaluator nix;
  nix.slow = {"c1"};
  Outcomes out;
  Scheduler(nix, ScheduleOptions{1, 4, 4}).run(numbered(4), out.callbacks());
  REQUIRE(out.failed.size() == 1);
  CHECK(out.failed[0].first == "c1");
  CHECK(out.failed[0].second == "timed out");
  CHECK(out.evaluated_count() == 3);
}

TEST_CASE("a case the evaluator gave no answer for fails, saying so") {
  FakeEvaluator nix;
  nix.unanswered = {"c2"};
  Outcomes out;
  Scheduler(nix, ScheduleOptions{1, 4, 4}).run(numbered(4), out.callbacks());
  REQUIRE(out.failed.size() == 1);
  CHECK(out.failed[0].first == "c2");
  CHECK(out.failed[0].second.find("no answer") != std::string::npos);
  CHECK(out.evaluated_count() == 3);
}

TEST_CASE("once the run is stopping, the cases not yet evaluated are dropped") {
  FakeEvaluator nix;
  Outcomes out;
  ScheduleCallbacks callbacks = out.callbacks();
  callbacks.stopping = [&] { return nix.case_calls >= 1; };
  Scheduler(nix, ScheduleOptions{1, 4}).run(numbered(20), callbacks);
  CHECK(nix.case_calls == 1);
  CHECK(out.evaluated_count() + out.dropped.size() == 20);
  CHECK(out.dropped.size() == 19);
  CHECK(nix.workers_finished == 1);
}

TEST_CASE("an idle worker takes the cases left behind a case that hangs in another worker's chunk") {
  FakeEvaluator nix;
  nix.held = {"c0"};
  Outcomes out;
  ScheduleCallbacks callbacks = out.callbacks();
  // c1 shares c0's chunk; once it is evaluated (by the other worker), c0 goes on.
  callbacks.evaluated = [&, inner = callbacks.evaluated](std::vector<EvaluatedCase> chunk) {
    const bool has_c1 = std::any_of(chunk.begin(), chunk.end(), [](const auto& e) { return e.entry.name == "c1"; });
    inner(std::move(chunk));
    if (has_c1) nix.release();
  };
  Scheduler(nix, ScheduleOptions{2, 25, 2}).run(numbered(2), callbacks);
  CHECK(out.evaluated_count() == 2);
  // c1 was taken from c0's chunk (else c0 would have waited for its time
  // limit and both come as one chunk) and each piece is handed on for
  // building on its own. (Thread ids cannot tell the workers apart: an
  // evaluation's thread may reuse the id of one that ended.)
  REQUIRE(out.chunks.size() == 2);
  CHECK(out.chunks[0].size() == 1);
  CHECK(out.chunks[1].size() == 1);
}

TEST_CASE("progress counts every case once, up to the total") {
  FakeEvaluator nix;
  nix.fails = {"c3"};
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
