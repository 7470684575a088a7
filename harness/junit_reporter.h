// JUnit XML for CI systems (GitLab, Jenkins, GitHub test summaries): one
// <testsuite name="hmt">, a <testcase> per case in plan order, <failure> for
// failed assertions, <error> for evaluation/build errors and timeouts.
// The file is (re)written when the run finishes or bails out.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "harness/reporter.h"

namespace hmt {

class JunitReporter : public Reporter {
 public:
  // A file that cannot be written is a write_failure(), never thrown.
  explicit JunitReporter(std::string path);

  void run_started(const RunInfo& info) override;
  void case_finished(const CaseResult& result) override;
  void bail_out(const std::string& reason) override;
  void run_finished(const RunSummary& summary) override;
  // Set while the last write of the file failed.
  std::optional<std::string> write_failure() const override { return write_failure_; }

 private:
  std::string render(std::chrono::milliseconds duration) const;
  void write(std::chrono::milliseconds duration);

  std::string path_;
  RunInfo info_;
  std::vector<CaseResult> results_;  // in completion order
  std::optional<std::string> bail_reason_;
  std::optional<std::string> write_failure_;
};

}  // namespace hmt
