#include "harness/pipeline/scheduler.h"

#include <algorithm>
#include <deque>
#include <chrono>
#include <exception>
#include <iterator>
#include <memory>
#include <optional>
#include <mutex>
#include <thread>

namespace hmt {

namespace {

using Chunk = std::vector<CaseEntry>;

// A chunk being evaluated: the cases its worker has not reached yet.
struct Running {
  std::deque<CaseEntry> left;
};

// The chunks still to evaluate, and the cases left in those being
// evaluated, which an idle worker may take.
class WorkQueue {
 public:
  explicit WorkQueue(std::vector<Chunk> chunks) : waiting_(chunks.begin(), chunks.end()) {}

  // The next chunk; once none waits, the later half (rounded up) of the
  // cases left in the running chunk that has most; nullptr when no case is
  // left anywhere.
  std::shared_ptr<Running> take() {
    std::lock_guard lock(mutex_);
    auto running = std::make_shared<Running>();
    if (!waiting_.empty()) {
      running->left.assign(std::make_move_iterator(waiting_.front().begin()),
                           std::make_move_iterator(waiting_.front().end()));
      waiting_.pop_front();
    } else {
      Running* fullest = nullptr;
      for (const auto& other : running_)
        if (!other->left.empty() && (!fullest || other->left.size() > fullest->left.size())) fullest = other.get();
      if (!fullest) return nullptr;
      const std::size_t taken = (fullest->left.size() + 1) / 2;
      running->left.assign(std::make_move_iterator(fullest->left.end() - static_cast<std::ptrdiff_t>(taken)),
                           std::make_move_iterator(fullest->left.end()));
      fullest->left.erase(fullest->left.end() - static_cast<std::ptrdiff_t>(taken), fullest->left.end());
    }
    running_.push_back(running);
    return running;
  }

  std::optional<CaseEntry> next(Running& running) {
    std::lock_guard lock(mutex_);
    if (running.left.empty()) return std::nullopt;
    CaseEntry entry = std::move(running.left.front());
    running.left.pop_front();
    return entry;
  }

  void finished(const std::shared_ptr<Running>& running) {
    std::lock_guard lock(mutex_);
    running_.erase(std::remove(running_.begin(), running_.end(), running), running_.end());
  }

  // Every case not handed out yet, waiting or left in a running chunk.
  std::vector<CaseEntry> drain() {
    std::lock_guard lock(mutex_);
    std::vector<CaseEntry> left;
    for (auto& chunk : waiting_) left.insert(left.end(), chunk.begin(), chunk.end());
    waiting_.clear();
    for (auto& running : running_) {
      left.insert(left.end(), running->left.begin(), running->left.end());
      running->left.clear();
    }
    return left;
  }

 private:
  std::mutex mutex_;
  std::deque<Chunk> waiting_;
  std::vector<std::shared_ptr<Running>> running_;
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

Scheduler::Scheduler(CaseEvaluator& evaluator, ScheduleOptions options)
    : evaluator_(evaluator), options_(options) {}

ScheduleStats Scheduler::run(const std::vector<CaseEntry>& cases, const ScheduleCallbacks& callbacks) {
  WorkQueue queue(cut_into_chunks(cases, options_));
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

  // One case: on with its manifest, or failed with its own error. A worker
  // thread must not die of an exception: the case fails instead.
  auto evaluate = [&](const CaseEntry& entry, EvaluatorUse& use, std::vector<EvaluatedCase>& evaluated) {
    try {
      CaseEvaluation answer = evaluator_.evaluate_case(entry, use);
      if (callbacks.answered) callbacks.answered(entry, answer);
      if (answer.manifest)
        evaluated.push_back({entry, *answer.manifest, std::move(answer.warnings)});
      else
        callbacks.failed(entry,
                         answer.failure ? *answer.failure
                                        : NixFailure{NixFailure::Kind::Failed, "the evaluator gave no answer for this case"},
                         answer.warnings);
    } catch (const std::exception& e) {
      callbacks.failed(entry, NixFailure{NixFailure::Kind::Failed, std::string("hmt: ") + e.what()}, {});
    }
  };

  auto work = [&] {
    while (auto chunk = queue.take()) {
      const auto started = std::chrono::steady_clock::now();
      EvaluatorUse use;
      std::vector<EvaluatedCase> evaluated;
      std::size_t size = 0;
      bool stopped = false;
      while (auto entry = queue.next(*chunk)) {
        if (callbacks.stopping && callbacks.stopping()) {
          callbacks.dropped(*entry);
          for (const auto& left : queue.drain()) callbacks.dropped(left);
          stopped = true;
          break;
        }
        ++size;
        evaluate(*entry, use, evaluated);
        count(0, 0, 1);
      }
      queue.finished(chunk);
      if (size == 0) continue;
      if (callbacks.chunk_evaluated) {
        ChunkEvaluation evaluation;
        evaluation.peak_memory_kib = use.peak_memory_kib;
        evaluation.evaluators_started = use.evaluators_started;
        evaluation.elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        callbacks.chunk_evaluated(size, evaluation);
      }
      if (!evaluated.empty()) callbacks.evaluated(std::move(evaluated));
      count(1, use.evaluators_started, 0);
      if (stopped) break;
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
