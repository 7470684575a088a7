#include "harness/pipeline/runner.h"

#include <condition_variable>
#include <ctime>
#include <exception>
#include <deque>
#include <set>
#include <iostream>
#include <thread>

#include <fmt/core.h>

#include "harness/pipeline/assertion_lines.h"
#include "harness/pipeline/cache_split.h"
#include "harness/pipeline/manifest_check.h"
#include "harness/report/report_common.h"

namespace hmt {

namespace {

using SteadyClock = std::chrono::steady_clock;

std::chrono::milliseconds since(SteadyClock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start);
}

CaseResult case_named(const CaseEntry& entry) {
  CaseResult result;
  result.name = entry.name;
  result.file = entry.file;
  result.line = entry.line;
  return result;
}

CaseResult not_run(const CaseEntry& entry, std::string reason) {
  CaseResult result = case_named(entry);
  result.status = Status::Skip;
  result.reason = std::move(reason);
  return result;
}

CaseResult from_nix_failure(const CaseEntry& entry, const NixFailure& failure, const std::string& stage) {
  CaseResult result = case_named(entry);
  switch (failure.kind) {
    case NixFailure::Kind::TimedOut:
      result.status = Status::Timeout;
      result.reason = fmt::format("{} timed out", stage);
      break;
    case NixFailure::Kind::Cancelled:
      result.status = Status::Error;
      result.reason = "interrupted";
      break;
    case NixFailure::Kind::Failed:
      result.status = Status::Error;
      result.reason = failure.summary.empty() ? fmt::format("{} failed", stage)
                                              : fmt::format("{} failed: {}", stage, failure.summary);
      break;
  }
  result.nix_error = failure.message;
  return result;
}

}  // namespace

std::string utc_timestamp_now() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

Runner::Runner(ProcessRunner& processes, Reporter& reporter, RunOptions options)
    : processes_(processes), reporter_(reporter), options_(std::move(options)) {}

CaseResult Runner::assert_manifest(const Manifest& manifest, const std::filesystem::path& case_folder,
                                   bool* script_ran) {
  CheckOptions check;
  check.update_golden = options_.update_golden;
  check.helper = options_.helper;
  check.script_timeout = options_.script_timeout;
  check.store_dir = options_.store_dir;
  check.input_roots = options_.input_roots;
  return check_manifest(manifest, case_folder, check, processes_, script_ran);
}

void Runner::finish(CaseResult result, CaseFacts facts) {
  std::optional<CaseEntry> entry;
  {
    std::lock_guard lock(mutex_);
    if (auto kept = warnings_.find(result.name); kept != warnings_.end()) {
      if (result.warnings.empty()) result.warnings = std::move(kept->second);
      warnings_.erase(kept);
    }
    if (auto answered = answers_.find(result.name); answered != answers_.end()) {
      facts.evaluation = answered->second.elapsed;
      facts.definitions = std::move(answered->second.definitions);
      answers_.erase(answered);
    }
    if (auto known = entries_.find(result.name); known != entries_.end()) entry = known->second;
  }
  if (options_.warnings_as_errors && !result.warnings.empty() && result.status == Status::Pass) {
    result.status = Status::Fail;
    result.reason = fmt::format("{} evaluation warning{} (--warnings-as-errors)", result.warnings.size(),
                                result.warnings.size() == 1 ? "" : "s");
  }
  if (is_failure(result.status) && result.rerun.empty() && options_.rerun_command)
    result.rerun = options_.rerun_command(result.name);
  {
    std::lock_guard lock(mutex_);
    for (const auto& note : result.golden)
      if (!note.updated) std::cerr << fmt::format("hmt: --update-golden: {}: {}\n", result.name, note.message);
    if (options_.verbose && !result.output.empty())
      std::cerr << fmt::format("hmt: output of {}:\n{}{}", result.name, result.output,
                               result.output.back() == '\n' ? "" : "\n");
    if (result.cached) ++summary_.cached;
    switch (result.status) {
      case Status::Pass:
        ++summary_.passed;
        break;
      case Status::Skip:
        ++summary_.skipped;
        break;
      case Status::Fail:
      case Status::Error:
      case Status::Timeout:
        ++summary_.failed;
        if (options_.fail_fast) stop_ = true;
        break;
    }
  }
  if (options_.cache && entry) options_.cache->finished(*entry, result, facts);
  reporter_.case_finished(result);
}

bool Runner::stopped(const CaseEntry& entry) {
  if (processes_.cancellation().requested()) {
    CaseResult result = case_named(entry);
    result.status = Status::Error;
    result.reason = "interrupted";
    finish(std::move(result));
    return true;
  }
  if (stop_) {
    CaseResult result = case_named(entry);
    result.status = Status::Skip;
    result.reason = "not run: --fail-fast stopped the run after a failure";
    finish(std::move(result));
    return true;
  }
  return false;
}

void Runner::assert_built(const CaseEntry& entry, const ManifestPaths& paths,
                          std::chrono::steady_clock::time_point started) {
  auto manifest = read_manifest(paths.out);
  if (!manifest) {
    CaseResult result = case_named(entry);
    result.status = Status::Error;
    result.reason = manifest.error();
    result.duration = since(started);
    finish(std::move(result));
    return;
  }
  bool script_ran = false;
  CaseResult result = assert_manifest(*manifest, entry.folder, &script_ran);
  result.file = entry.file;
  result.line = entry.line;
  locate_assertions_in_case_file(result, manifest->script);
  result.duration = since(started);
  CaseFacts facts;
  facts.ran = true;
  // A pass or a failed assertion is the script's verdict on the tree; an
  // error may be a time limit or a tool that could not run: not cached.
  facts.deterministic = script_ran && (result.status == Status::Pass || result.status == Status::Fail);
  facts.script = manifest->script;
  facts.manifest = paths;
  finish(std::move(result), std::move(facts));
}

void Runner::build_chunk(NixDriver& nix, const std::vector<EvaluatedCase>& chunk) {
  {
    std::lock_guard lock(mutex_);
    for (const auto& evaluated : chunk)
      if (!evaluated.warnings.empty()) warnings_[evaluated.entry.name] = evaluated.warnings;
  }
  std::vector<EvaluatedCase> pending;
  for (const auto& evaluated : chunk)
    if (!stopped(evaluated.entry)) pending.push_back(evaluated);
  if (pending.empty()) return;

  const auto started = SteadyClock::now();
  std::vector<std::string> drvs;
  for (const auto& evaluated : pending) drvs.push_back(evaluated.manifest.drv);
  const Realisation realisation = nix.realise(drvs);
  for (const auto& evaluated : pending) {
    const CaseEntry& entry = evaluated.entry;
    const ManifestPaths& paths = evaluated.manifest;
    if (stopped(entry)) continue;
    reporter_.case_started(entry.name);
    // A builder thread must not die of an exception: the case errs instead.
    try {
      std::error_code ec;
      if (std::filesystem::exists(paths.out, ec))
        assert_built(entry, paths, started);
      else
        finish_unbuilt(nix, entry, paths, realisation, pending.size(), started);
    } catch (const std::exception& e) {
      CaseResult result = case_named(entry);
      result.status = Status::Error;
      result.reason = fmt::format("hmt: {}", e.what());
      finish(std::move(result));
    }
  }
}

// Not built. A build that hit the time limit is not retried: its time was
// spent. A builder that failed is found among what the case needs, and its
// error is Nix's line for it with the log Nix kept; only where that does
// not say (no such builder, no log kept) is the case built again alone.
void Runner::finish_unbuilt(NixDriver& nix, const CaseEntry& entry, const ManifestPaths& paths,
                            const Realisation& realisation, std::size_t chunk_size,
                            std::chrono::steady_clock::time_point started) {
  std::optional<NixFailure> own = realisation.failure;
  bool known = chunk_size == 1;
  if (own && own->kind == NixFailure::Kind::Failed && chunk_size > 1 &&
      (!realisation.timed_out.empty() || !realisation.failed_builds.empty())) {
    const std::set<std::string> needed = nix.requisites(paths.drv);
    for (const auto& drv : realisation.timed_out)
      if (needed.count(drv)) {
        own = NixFailure{NixFailure::Kind::TimedOut, fmt::format("building {} timed out", drv)};
        known = true;
        break;
      }
    for (auto it = realisation.failed_builds.begin(); !known && it != realisation.failed_builds.end(); ++it) {
      if (!needed.count(it->first)) continue;
      if (const auto log = nix.build_log(it->first)) {
        own = failed_with(log->empty() ? it->second : it->second + "\n" + *log, "", it->second);
        known = true;
      }
    }
  }
  if (!own || (own->kind == NixFailure::Kind::Failed && !known)) own = nix.build(paths.drv);
  std::error_code ec;
  if (!own && std::filesystem::exists(paths.out, ec)) {
    assert_built(entry, paths, started);
    return;
  }
  CaseResult result = from_nix_failure(
      entry, own.value_or(NixFailure{NixFailure::Kind::Failed, "the manifest was not built"}), "building the case");
  result.duration = since(started);
  CaseFacts facts;
  facts.ran = !own || own->kind != NixFailure::Kind::Cancelled;
  facts.manifest = paths;
  finish(std::move(result), std::move(facts));
}

RunSummary Runner::summary_of(SteadyClock::time_point started) {
  std::lock_guard lock(mutex_);
  RunSummary summary = summary_;
  summary.duration = since(started);
  return summary;
}

RunSummary Runner::run_cases(NixDriver& nix, const std::vector<CaseEntry>& selected,
                             const std::vector<CaseResult>& unloaded) {
  const auto started = SteadyClock::now();
  RunInfo info;
  for (const auto& r : unloaded) info.case_names.push_back(r.name);
  for (const auto& c : selected) info.case_names.push_back(c.name);
  info.started_at = utc_timestamp_now();
  reporter_.run_started(info);
  for (const auto& result : unloaded) finish(result);

  // Verdicts whose inputs did not change are reported as they were; the
  // other cases run, recording their definitions where the record asks.
  {
    std::lock_guard lock(mutex_);
    for (const auto& entry : selected) entries_[entry.name] = entry;
  }
  CacheSplit split = split_by_cache(selected, options_.cache, options_.chunk_size);
  const std::vector<CaseEntry>& cases = split.to_evaluate;
  for (auto& result : split.cached) {
    if (stopped(entries_.at(result.name))) continue;
    CaseFacts facts;
    facts.ran = true;
    finish(std::move(result), std::move(facts));
  }

  std::mutex progress_mutex;
  Progress progress;
  progress.total = cases.size();
  auto report_progress = [&](auto change) {
    std::lock_guard lock(progress_mutex);
    change(progress);
    reporter_.progress(progress);
  };
  report_progress([](Progress&) {});

  // Evaluated chunks wait here for a builder; builders run beside the
  // evaluators, so a chunk builds while the next one evaluates.
  std::mutex queue_mutex;
  std::condition_variable queue_changed;
  std::deque<std::vector<EvaluatedCase>> built_queue;
  bool evaluation_done = false;

  ScheduleCallbacks callbacks;
  callbacks.evaluated = [&](std::vector<EvaluatedCase> chunk) {
    {
      std::lock_guard lock(queue_mutex);
      built_queue.push_back(std::move(chunk));
    }
    queue_changed.notify_one();
  };
  callbacks.failed = [&](const CaseEntry& entry, const NixFailure& failure, const std::vector<std::string>& warnings) {
    CaseResult result = from_nix_failure(entry, failure, "evaluating the case");
    result.warnings = warnings;
    CaseFacts facts;
    facts.ran = failure.kind != NixFailure::Kind::Cancelled;
    facts.deterministic = failure.kind == NixFailure::Kind::Failed && failure.deterministic;
    finish(std::move(result), std::move(facts));
  };
  callbacks.answered = [&](const CaseEntry& entry, const CaseEvaluation& answer) {
    std::lock_guard lock(mutex_);
    CaseEvaluation& kept = answers_[entry.name];
    kept.elapsed = answer.elapsed;
    kept.definitions = answer.definitions;
  };
  callbacks.dropped = [&](const CaseEntry& entry) {
    if (!stopped(entry)) finish(not_run(entry, "not run: the run stopped"));
  };
  callbacks.stopping = [&] { return stop_ || processes_.cancellation().requested(); };
  if (options_.verbose)
    callbacks.chunk_evaluated = [this](std::size_t size, const ChunkEvaluation& evaluation) {
      std::lock_guard lock(mutex_);
      std::cerr << fmt::format("hmt: evaluated {} case{} in {:.1f}s, evaluator peak memory {} MiB{}\n", size,
                               size == 1 ? "" : "s", evaluation.elapsed.count() / 1000.0,
                               evaluation.peak_memory_kib / 1024,
                               evaluation.evaluators_started > 0
                                   ? fmt::format(" ({} evaluator{} started)", evaluation.evaluators_started,
                                                 evaluation.evaluators_started == 1 ? "" : "s")
                                   : "");
    };
  callbacks.progress = [&](std::size_t done, std::size_t) {
    report_progress([done](Progress& p) { p.evaluated = done; });
  };

  auto build = [&] {
    for (;;) {
      std::unique_lock lock(queue_mutex);
      queue_changed.wait(lock, [&] { return !built_queue.empty() || evaluation_done; });
      if (built_queue.empty()) return;
      std::vector<EvaluatedCase> chunk = std::move(built_queue.front());
      built_queue.pop_front();
      lock.unlock();
      report_progress([](Progress& p) { ++p.building; });
      build_chunk(nix, chunk);
      report_progress([](Progress& p) { --p.building; });
    }
  };
  // Cases evaluated by an earlier run go to the builders at once.
  for (auto& chunk : split.to_build) built_queue.push_back(std::move(chunk));
  std::vector<std::thread> builders;
  for (int i = 0; i < std::max(1, options_.jobs); ++i) builders.emplace_back(build);

  Scheduler scheduler(nix, ScheduleOptions{options_.jobs, options_.chunk_size});
  stats_ = scheduler.run(cases, callbacks);
  {
    std::lock_guard lock(queue_mutex);
    evaluation_done = true;
  }
  queue_changed.notify_all();
  for (auto& b : builders) b.join();

  RunSummary summary = summary_of(started);
  if (processes_.cancellation().requested()) {
    summary.bailed_out = true;
    reporter_.bail_out(fmt::format("interrupted ({}): hmt stopped its builds", processes_.cancellation().reason()));
  }
  reporter_.run_finished(summary);
  return summary;
}

RunSummary Runner::verify_manifests(const std::vector<std::filesystem::path>& manifests) {
  const auto started = SteadyClock::now();
  std::vector<std::pair<std::filesystem::path, Expected<Manifest>>> loaded;
  RunInfo info;
  for (const auto& path : manifests) {
    auto manifest = read_manifest(path);
    info.case_names.push_back(manifest ? manifest->name : path.filename().string());
    loaded.emplace_back(path, std::move(manifest));
  }
  info.started_at = utc_timestamp_now();
  reporter_.run_started(info);
  for (auto& [path, manifest] : loaded) {
    CaseEntry entry{manifest ? manifest->name : path.filename().string(), path.string(), ""};
    if (stopped(entry)) continue;
    reporter_.case_started(entry.name);
    if (!manifest) {
      CaseResult result = case_named(entry);
      result.status = Status::Error;
      result.reason = manifest.error();
      finish(std::move(result));
      continue;
    }
    const std::filesystem::path folder =
        manifest->file.empty() ? std::filesystem::path() : std::filesystem::path(manifest->file).parent_path();
    CaseResult result = assert_manifest(*manifest, folder);
    locate_assertions_in_case_file(result, manifest->script);
    finish(std::move(result));
  }
  RunSummary summary = summary_of(started);
  reporter_.run_finished(summary);
  return summary;
}

}  // namespace hmt
