// TAP output (https://testanything.org) in two dialects.
//
// TAP 13 (the default, because Debian's prove rejects version 14): one test
// point per case, numbered in completion order, with a YAML diagnostics block
// listing every failed assertion. The YAML sticks to the subset that prove's
// YAMLish reader understands (plain, double-quoted and "|" scalars) while
// staying valid YAML 1.2.
//
// TAP 14: every case is a subtest with one test point per assertion; the YAML
// may use "|-" so multi-line values round-trip exactly.
#pragma once

#include <ostream>
#include <string>

#include "harness/report/reporter.h"

namespace hmt {

class TapReporter : public Reporter {
 public:
  // version is 13 or 14; anything else is treated as 13.
  TapReporter(std::ostream& out, int version = 13);

  void run_started(const RunInfo& info) override;
  void case_finished(const CaseResult& result) override;
  void bail_out(const std::string& reason) override;
  void run_finished(const RunSummary& summary) override;
  std::optional<std::string> write_failure() const override { return stream_check_.failure(); }

 private:
  void write_tap13_case(const CaseResult& result);
  void write_tap14_case(const CaseResult& result);

  std::ostream& out_;
  int version_;
  int next_number_ = 1;
  bool started_ = false;  // the version line and the plan are out
  StreamCheck stream_check_{"the TAP report"};
};

}  // namespace hmt
