#include "harness/scheduler.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace hmt {

namespace {

using Chunk = std::vector<CaseEntry>;

// The shared queue: chunks still to evaluate, and how many are out with a
// worker (a worker may put halves back, so an empty queue is not the end).
class ChunkQueue {
 public:
  explicit ChunkQueue(std::vector<Chunk> chunks) : chunks_(chunks.begin(), chunks.end()) {}

  // Blocks until there is a chunk or no work is left anywhere.
  std::optional<Chunk> take() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !chunks_.empty() || out_ == 0; });
    if (chunks_.empty()) return std::nullopt;
    Chunk chunk = std::move(chunks_.front());
    chunks_.pop_front();
    ++out_;
    return chunk;
  }

  // A worker is done with its chunk, having split it into `halves`.
  void done(std::vector<Chunk> halves = {}) {
    {
      std::lock_guard lock(mutex_);
      for (auto it = halves.rbegin(); it != halves.rend(); ++it) chunks_.push_front(std::move(*it));
      --out_;
    }
    changed_.notify_all();
  }

  // Takes every chunk not yet handed out.
  std::vector<Chunk> drain() {
    std::lock_guard lock(mutex_);
    std::vector<Chunk> left(std::make_move_iterator(chunks_.begin()), std::make_move_iterator(chunks_.end()));
    chunks_.clear();
    return left;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Chunk> chunks_;
  std::size_t out_ = 0;
};

}  // namespace

std::vector<std::vector<CaseEntry>> cut_into_chunks(const std::vector<CaseEntry>& cases,
                                                    const ScheduleOptions& options) {
  const std::size_t full = std::max<std::size_t>(1, options.chunk_size);
  const std::size_t first = std::clamp<std::size_t>(full / 4, 1, std::max<std::size_t>(1, options.first_chunk_max));
  std::vector<Chunk> chunks;
  std::size_t at = 0;
  while (at < cases.size()) {
    const std::size_t size = chunks.size() < static_cast<std::size_t>(std::max(1, options.jobs)) ? first : full;
    const std::size_t end = std::min(cases.size(), at + size);
    chunks.emplace_back(cases.begin() + static_cast<std::ptrdiff_t>(at), cases.begin() + static_cast<std::ptrdiff_t>(end));
    at = end;
  }
  return chunks;
}

Scheduler::Scheduler(ChunkEvaluator& evaluator, ScheduleOptions options)
    : evaluator_(evaluator), options_(options) {}

ScheduleStats Scheduler::run(const std::vector<CaseEntry>& cases, const ScheduleCallbacks& callbacks) {
  ChunkQueue queue(cut_into_chunks(cases, options_));
  std::mutex stats_mutex;
  ScheduleStats stats;
  std::size_t done = 0;

  auto count = [&](std::size_t chunks, std::size_t alone, std::size_t splits, std::size_t finished) {
    std::lock_guard lock(stats_mutex);
    stats.chunk_evaluations += chunks;
    stats.case_evaluations += alone;
    stats.splits += splits;
    done += finished;
    if (callbacks.progress && finished > 0) callbacks.progress(done, cases.size());
  };

  // Hands on the cases of a chunk that Nix answered for: a manifest, or a
  // throw caught inside the chunk, which is evaluated alone, unprotected,
  // so that Nix says why. Returns how many were evaluated alone.
  auto settle = [&](const Chunk& chunk, std::size_t count_of, const std::vector<std::optional<ManifestPaths>>& results) {
    std::vector<EvaluatedCase> evaluated;
    std::size_t alone = 0;
    for (std::size_t i = 0; i < count_of; ++i) {
      if (i < results.size() && results[i]) {
        evaluated.push_back({chunk[i], *results[i]});
        continue;
      }
      ++alone;
      CaseEvaluation single = evaluator_.evaluate_case(chunk[i]);
      if (single.manifest)
        evaluated.push_back({chunk[i], *single.manifest});
      else
        callbacks.failed(chunk[i], single.failure.value_or(NixFailure{NixFailure::Kind::Failed, "evaluation failed"}));
    }
    if (!evaluated.empty()) callbacks.evaluated(std::move(evaluated));
    return alone;
  };

  auto evaluate = [&](Chunk chunk) {
    ChunkEvaluation evaluation = evaluator_.evaluate_chunk(chunk);
    if (callbacks.chunk_evaluated) callbacks.chunk_evaluated(chunk.size(), evaluation);
    if (evaluation.failure) {
      const bool retry = evaluation.failure->kind == NixFailure::Kind::Failed && chunk.size() > 1;
      if (retry && evaluation.aborted_at) {
        // Nix said which case it was at: that one failed, with this error.
        // The ones before it keep what Nix traced for them (those without
        // a trace go back), and the ones after it go back.
        const std::size_t aborted = *evaluation.aborted_at;
        const std::size_t answered = std::min(aborted, evaluation.cases.size());
        const std::size_t alone = settle(chunk, answered, evaluation.cases);
        const auto at = chunk.begin() + static_cast<std::ptrdiff_t>(aborted);
        callbacks.failed(*at, *evaluation.failure);
        std::vector<Chunk> rest;
        if (answered < aborted) rest.emplace_back(chunk.begin() + static_cast<std::ptrdiff_t>(answered), at);
        if (at + 1 != chunk.end()) rest.emplace_back(at + 1, chunk.end());
        count(1, alone, 1, answered + 1);
        queue.done(std::move(rest));
        return;
      }
      if (retry) {
        const auto middle = chunk.begin() + static_cast<std::ptrdiff_t>(chunk.size() / 2);
        count(1, 0, 1, 0);
        queue.done({Chunk(chunk.begin(), middle), Chunk(middle, chunk.end())});
        return;
      }
      for (const auto& entry : chunk) callbacks.failed(entry, *evaluation.failure);
      count(1, 0, 0, chunk.size());
      queue.done();
      return;
    }
    const std::size_t alone = settle(chunk, chunk.size(), evaluation.cases);
    count(1, alone, 0, chunk.size());
    queue.done();
  };

  auto work = [&] {
    while (auto chunk = queue.take()) {
      if (callbacks.stopping && callbacks.stopping()) {
        for (const auto& entry : *chunk) callbacks.dropped(entry);
        for (const auto& left : queue.drain())
          for (const auto& entry : left) callbacks.dropped(entry);
        queue.done();
        continue;
      }
      // A worker thread must not die of an exception: its cases fail instead.
      const Chunk cases_of_chunk = *chunk;
      try {
        evaluate(std::move(*chunk));
      } catch (const std::exception& e) {
        for (const auto& entry : cases_of_chunk)
          callbacks.failed(entry, NixFailure{NixFailure::Kind::Failed, std::string("hmt: ") + e.what()});
        count(0, 0, 0, cases_of_chunk.size());
        queue.done();
      }
    }
  };

  std::vector<std::thread> workers;
  const int jobs = std::max(1, options_.jobs);
  for (int i = 0; i < jobs; ++i) workers.emplace_back(work);
  for (auto& worker : workers) worker.join();
  return stats;
}

}  // namespace hmt
