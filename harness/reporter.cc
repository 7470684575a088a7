#include "harness/reporter.h"

namespace hmt {

void ReporterSet::add(std::unique_ptr<Reporter> reporter) {
  std::lock_guard lock(mutex_);
  reporters_.push_back(std::move(reporter));
}

void ReporterSet::run_started(const RunInfo& info) {
  std::lock_guard lock(mutex_);
  for (auto& r : reporters_) r->run_started(info);
}

void ReporterSet::case_started(const std::string& name) {
  std::lock_guard lock(mutex_);
  for (auto& r : reporters_) r->case_started(name);
}

void ReporterSet::progress(const Progress& progress) {
  std::lock_guard lock(mutex_);
  for (auto& r : reporters_) r->progress(progress);
}

void ReporterSet::case_finished(const CaseResult& result) {
  std::lock_guard lock(mutex_);
  for (auto& r : reporters_) r->case_finished(result);
}

void ReporterSet::bail_out(const std::string& reason) {
  std::lock_guard lock(mutex_);
  for (auto& r : reporters_) r->bail_out(reason);
}

void ReporterSet::run_finished(const RunSummary& summary) {
  std::lock_guard lock(mutex_);
  for (auto& r : reporters_) r->run_finished(summary);
}

}  // namespace hmt
