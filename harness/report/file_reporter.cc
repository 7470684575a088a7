#include "harness/report/file_reporter.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

namespace hmt {

std::optional<std::string> write_report_file(const std::string& path, std::string_view document,
                                             std::string_view what) {
  errno = 0;
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (file) {
    file << document;
    file.close();
  }
  if (file) return std::nullopt;
  const int error = errno;
  return fmt::format("cannot write the {} {}: {}", what, path, error != 0 ? std::strerror(error) : "write failed");
}

FileReporter::FileReporter(std::string path, std::string what) : path_(std::move(path)), what_(std::move(what)) {}

void FileReporter::run_started(const RunInfo& info) { info_ = info; }

void FileReporter::case_finished(const CaseResult& result) { results_.push_back(result); }

void FileReporter::bail_out(const std::string& reason) {
  bail_reason_ = reason;
  // No summary comes with a bail out: the cases' own time is the best guess.
  std::chrono::milliseconds total{0};
  for (const auto& r : results_) total += r.duration;
  write(total);
}

void FileReporter::run_finished(const RunSummary& summary) { write(summary.duration); }

void FileReporter::write(std::chrono::milliseconds duration) {
  write_failure_ = write_report_file(path_, render(duration), what_);
}

}  // namespace hmt
