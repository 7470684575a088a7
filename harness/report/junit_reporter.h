// JUnit XML for CI systems (GitLab, Jenkins, GitHub test summaries): one
// <testsuite name="hmt">, a <testcase> per case in plan order, <failure> for
// failed assertions, <error> for evaluation/build errors and timeouts.
// The file is (re)written when the run finishes or bails out.
#pragma once

#include <chrono>
#include <string>

#include "harness/report/file_reporter.h"

namespace hmt {

class JunitReporter : public FileReporter {
 public:
  explicit JunitReporter(std::string path);
  std::string render(std::chrono::milliseconds duration) const override;
};

}  // namespace hmt
