#include "harness/reporter.h"

#include <cerrno>
#include <cstring>

namespace hmt {

void StreamCheck::after_write(const std::ostream& out) {
  if (failure_ || !out.fail()) return;
  failure_ = "cannot write " + what_ + ": " + (errno != 0 ? std::strerror(errno) : "write failed");
}

void ReporterSet::add(std::unique_ptr<Reporter> reporter) {
  std::lock_guard lock(mutex_);
  reporters_.push_back(std::move(reporter));
}

void ReporterSet::run_started(const RunInfo& info) {
  std::lock_guard lock(mutex_);
  for (auto& r : reporters_) r->run_started(info);
  check_writes();
}

void ReporterSet::case_started(const std::string& name) {
  std::lock_guard lock(mutex_);
  for (auto& r : reporters_) r->case_started(name);
  check_writes();
}

void ReporterSet::case_finished(const CaseResult& result) {
  std::lock_guard lock(mutex_);
  for (auto& r : reporters_) r->case_finished(result);
  check_writes();
}

void ReporterSet::bail_out(const std::string& reason) {
  std::lock_guard lock(mutex_);
  for (auto& r : reporters_) r->bail_out(reason);
  check_writes();
}

void ReporterSet::run_finished(const RunSummary& summary) {
  std::lock_guard lock(mutex_);
  for (auto& r : reporters_) r->run_finished(summary);
  check_writes();
}

std::optional<std::string> ReporterSet::write_failure() const {
  std::lock_guard lock(mutex_);
  for (const auto& r : reporters_)
    if (auto failure = r->write_failure()) return failure;
  return std::nullopt;
}

void ReporterSet::on_write_failure(std::function<void(const std::string&)> callback) {
  std::lock_guard lock(mutex_);
  on_write_failure_ = std::move(callback);
}

void ReporterSet::check_writes() {
  if (failure_told_ || !on_write_failure_) return;
  for (const auto& r : reporters_) {
    if (auto failure = r->write_failure()) {
      failure_told_ = true;
      on_write_failure_(*failure);
      return;
    }
  }
}

}  // namespace hmt
