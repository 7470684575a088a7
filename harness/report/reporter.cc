#include "harness/report/reporter.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/core.h>

namespace hmt {

void StreamCheck::after_write(const std::ostream& out) {
  if (failure_ || !out.fail()) return;
  failure_ = "cannot write " + what_ + ": " + (errno != 0 ? std::strerror(errno) : "write failed");
}

std::optional<std::string> output_file_problem(const std::filesystem::path& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(file, ec)) return fmt::format("{} is a folder", file.string());
  const fs::path folder = file.has_parent_path() ? file.parent_path() : fs::path(".");
  if (!fs::is_directory(folder, ec)) {
    // Name the part of the path that is wrong: a file where a folder
    // should be, or the first folder that is missing.
    fs::path existing = folder;
    while (existing.has_parent_path() && existing != existing.parent_path() && !fs::exists(existing, ec))
      existing = existing.parent_path();
    if (fs::exists(existing, ec) && !fs::is_directory(existing, ec))
      return fmt::format("{} is a file, not a folder", existing.string());
    return fmt::format("folder {} does not exist", folder.string());
  }
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
  if (fd < 0) return std::string(std::strerror(errno));
  ::close(fd);
  return std::nullopt;
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

void ReporterSet::progress(const Progress& progress) {
  std::lock_guard lock(mutex_);
  for (auto& r : reporters_) r->progress(progress);
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
