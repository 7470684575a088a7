#include "harness/runner.h"

#include <ctime>
#include <iostream>
#include <thread>

#include <fmt/core.h>

#include "assertions/script.h"
#include "harness/golden.h"
#include "process/temporary_folder.h"

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
      result.reason = fmt::format("{} failed", stage);
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

CaseResult Runner::assert_manifest(const Manifest& manifest, const std::filesystem::path& case_folder) {
  const auto started = SteadyClock::now();
  CaseResult result;
  result.name = manifest.name;
  result.file = manifest.file;

  // A private scratch folder for normalizeStorePaths and the bash fallback.
  auto work = TemporaryFolder::create("hmt-case-");
  if (!work) {
    result.status = Status::Error;
    result.reason = work.error();
    return result;
  }
  std::error_code ec;
  if (!std::filesystem::exists(manifest.tested, ec)) {
    result.status = Status::Error;
    result.reason = fmt::format("the tested tree {} does not exist", manifest.tested.string());
    return result;
  }

  ScriptContext context;
  context.assertion.tested = manifest.tested;
  context.assertion.work_dir = work->path();
  context.assertion.store_dir = options_.store_dir;
  context.case_name = manifest.name;
  context.helper = options_.helper;
  context.runner = &processes_;
  context.timeout = options_.script_timeout;
  ScriptOutcome outcome = run_script(manifest.script, context);

  result.status = case_status(outcome);
  result.assertions = std::move(outcome.assertions);
  result.output = std::move(outcome.output);
  int failed = 0;
  for (const auto& a : result.assertions)
    if (a.status != Status::Pass) ++failed;
  if (outcome.error)
    result.reason = *outcome.error;
  else if (failed > 0)
    result.reason = fmt::format("{} of {} assertions failed", failed, result.assertions.size());

  if (options_.update_golden && !case_folder.empty()) {
    for (const auto& a : result.assertions) {
      if (a.status != Status::Fail || a.name != "assertFileContent") continue;
      GoldenUpdate update = update_golden(a, case_folder);
      if (!result.output.empty() && result.output.back() != '\n') result.output += '\n';
      result.output += fmt::format("--update-golden: {}\n", update.message);
    }
  }
  result.duration = since(started);
  return result;
}

void Runner::finish(CaseResult result) {
  {
    std::lock_guard lock(mutex_);
    if (options_.verbose && !result.output.empty())
      std::cerr << fmt::format("hmt: output of {}:\n{}{}", result.name, result.output,
                               result.output.back() == '\n' ? "" : "\n");
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

void Runner::run_evaluated_case(NixDriver& nix, const CaseEntry& entry, const std::string& drv_path) {
  if (stopped(entry)) return;
  const auto started = SteadyClock::now();
  reporter_.case_started(entry.name);
  CaseBuild build = nix.build(drv_path);
  if (build.failure) {
    CaseResult result = from_nix_failure(entry, *build.failure, "building the case");
    result.duration = since(started);
    finish(std::move(result));
    return;
  }
  auto manifest = read_manifest(*build.manifest);
  if (!manifest) {
    CaseResult result = case_named(entry);
    result.status = Status::Error;
    result.reason = manifest.error();
    finish(std::move(result));
    return;
  }
  CaseResult result = assert_manifest(*manifest, entry.folder);
  result.file = entry.file;
  result.duration = since(started);
  finish(std::move(result));
}

void Runner::run_shard(NixDriver& nix, const std::vector<CaseEntry>& shard) {
  std::vector<CaseEntry> pending;
  for (const auto& entry : shard)
    if (!stopped(entry)) pending.push_back(entry);
  if (pending.empty()) return;

  ShardEvaluation evaluation = nix.evaluate_shard(pending);
  if (evaluation.failure && evaluation.failure->kind == NixFailure::Kind::Cancelled) {
    for (const auto& entry : pending) stopped(entry);
    return;
  }
  // Each case's time limit is spent once: a shard that ran out of time is
  // not evaluated again case by case, with the whole limit each.
  if (evaluation.failure && evaluation.failure->kind == NixFailure::Kind::TimedOut) {
    for (const auto& entry : pending) finish(from_nix_failure(entry, *evaluation.failure, "evaluating the case"));
    return;
  }
  for (const auto& entry : pending) {
    auto evaluated = evaluation.drv_paths.find(entry.name);
    if (evaluated != evaluation.drv_paths.end()) {
      run_evaluated_case(nix, entry, evaluated->second);
      continue;
    }
    // The shard failed as a whole, or this case threw inside it: evaluate
    // it alone to learn whether and how it fails.
    if (stopped(entry)) continue;
    CaseEvaluation alone = nix.evaluate_case(entry);
    if (alone.failure) {
      finish(from_nix_failure(entry, *alone.failure, "evaluating the case"));
      continue;
    }
    run_evaluated_case(nix, entry, *alone.drv_path);
  }
}

RunSummary Runner::summary_of(SteadyClock::time_point started) {
  std::lock_guard lock(mutex_);
  RunSummary summary = summary_;
  summary.duration = since(started);
  return summary;
}

RunSummary Runner::run_cases(NixDriver& nix, const std::vector<CaseEntry>& cases) {
  const auto started = SteadyClock::now();
  RunInfo info;
  for (const auto& c : cases) info.case_names.push_back(c.name);
  info.started_at = utc_timestamp_now();
  reporter_.run_started(info);

  // Round-robin keeps shards even when neighbouring cases differ in cost.
  const std::size_t shard_count =
      std::max<std::size_t>(1, std::min<std::size_t>(cases.size(), static_cast<std::size_t>(std::max(1, options_.jobs))));
  std::vector<std::vector<CaseEntry>> shards(shard_count);
  for (std::size_t i = 0; i < cases.size(); ++i) shards[i % shard_count].push_back(cases[i]);

  std::vector<std::thread> workers;
  for (const auto& shard : shards)
    if (!shard.empty()) workers.emplace_back([this, &nix, &shard] { run_shard(nix, shard); });
  for (auto& w : workers) w.join();

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
    finish(assert_manifest(*manifest, folder));
  }
  RunSummary summary = summary_of(started);
  reporter_.run_finished(summary);
  return summary;
}

}  // namespace hmt
