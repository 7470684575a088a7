#include "harness/pipeline/scheduler.h"

#include <algorithm>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace hmt {

namespace {

using Chunk = std::vector<CaseEntry>;

// The shared queue of chunks still to evaluate.
class ChunkQueue {
 public:
  explicit ChunkQueue(std::vector<Chunk> chunks) : chunks_(chunks.begin(), chunks.end()) {}

  std::optional<Chunk> take() {
    std::lock_guard lock(mutex_);
    if (chunks_.empty()) return std::nullopt;
    Chunk chunk = std::move(chunks_.front());
    chunks_.pop_front();
    return chunk;
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
  std::deque<Chunk> chunks_;
};

}  // namespace

std::vector<std::vector<CaseEntry>> cut_into_chunks(const std::vector<CaseEntry>& cases,
                                                    const ScheduleOptions& options) {
  const std::size_t jobs = static_cast<std::size_t>(std::max(1, options.jobs));
  const std::size_t full = std::max<std::size_t>(1, options.chunk_size);
  const std::size_t first = std::clamp<std::size_t>(options.first_chunk_size, 1, full);
  std::vector<Chunk> chunks;
  std::size_t at = 0;
  while (at < cases.size()) {
    const std::size_t left = cases.size() - at;
    const std::size_t size = chunks.size() < jobs ? first : std::clamp<std::size_t>((left + 2 * jobs - 1) / (2 * jobs), 1, full);
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

  auto count = [&](std::size_t chunks, std::size_t started, std::size_t finished) {
    std::lock_guard lock(stats_mutex);
    stats.chunk_evaluations += chunks;
    stats.evaluators_started += started;
    done += finished;
    if (callbacks.progress && finished > 0) callbacks.progress(done, cases.size());
  };

  // Every case of the chunk goes on with its manifest or fails with its
  // own error; one the evaluator did not answer for fails as such.
  auto evaluate = [&](const Chunk& chunk) {
    ChunkEvaluation evaluation = evaluator_.evaluate_chunk(chunk);
    if (callbacks.chunk_evaluated) callbacks.chunk_evaluated(chunk.size(), evaluation);
    std::vector<EvaluatedCase> evaluated;
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      const CaseEvaluation* answer = i < evaluation.cases.size() ? &evaluation.cases[i] : nullptr;
      if (answer && answer->manifest)
        evaluated.push_back({chunk[i], *answer->manifest});
      else
        callbacks.failed(chunk[i], answer && answer->failure
                                       ? *answer->failure
                                       : NixFailure{NixFailure::Kind::Failed, "the evaluator gave no answer for this case"});
    }
    if (!evaluated.empty()) callbacks.evaluated(std::move(evaluated));
    count(1, evaluation.evaluators_started, chunk.size());
  };

  auto work = [&] {
    while (auto chunk = queue.take()) {
      if (callbacks.stopping && callbacks.stopping()) {
        for (const auto& entry : *chunk) callbacks.dropped(entry);
        for (const auto& left : queue.drain())
          for (const auto& entry : left) callbacks.dropped(entry);
        break;
      }
      // A worker thread must not die of an exception: its cases fail instead.
      try {
        evaluate(*chunk);
      } catch (const std::exception& e) {
        for (const auto& entry : *chunk)
          callbacks.failed(entry, NixFailure{NixFailure::Kind::Failed, std::string("hmt: ") + e.what()});
        count(0, 0, chunk->size());
      }
    }
    evaluator_.worker_finished();
  };

  std::vector<std::thread> workers;
  const int jobs = std::max(1, options_.jobs);
  for (int i = 0; i < jobs; ++i) workers.emplace_back(work);
  for (auto& worker : workers) worker.join();
  return stats;
}

}  // namespace hmt
