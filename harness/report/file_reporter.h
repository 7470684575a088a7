// What the reports written as one whole file share (JUnit, HTML): they
// collect the run and (re)write the file when it finishes or bails out, so
// the file is complete whenever it exists. A subclass only renders.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/report/reporter.h"

namespace hmt {

// Writes document to path, replacing it; on failure, why ("cannot write
// the <what> <path>: <reason>").
std::optional<std::string> write_report_file(const std::string& path, std::string_view document,
                                             std::string_view what);

class FileReporter : public Reporter {
 public:
  // what names the report in errors, e.g. "JUnit report". A file that
  // cannot be written is a write_failure(), never thrown.
  FileReporter(std::string path, std::string what);

  void run_started(const RunInfo& info) override;
  void case_finished(const CaseResult& result) override;
  void bail_out(const std::string& reason) override;
  void run_finished(const RunSummary& summary) override;
  // Set while the last write of the file failed.
  std::optional<std::string> write_failure() const override { return write_failure_; }

  // The whole document for what was collected so far.
  virtual std::string render(std::chrono::milliseconds duration) const = 0;

 protected:
  const RunInfo& info() const { return info_; }
  const std::vector<CaseResult>& results() const { return results_; }  // in completion order
  const std::optional<std::string>& bail_reason() const { return bail_reason_; }

 private:
  void write(std::chrono::milliseconds duration);

  std::string path_;
  std::string what_;
  RunInfo info_;
  std::vector<CaseResult> results_;
  std::optional<std::string> bail_reason_;
  std::optional<std::string> write_failure_;
};

}  // namespace hmt
