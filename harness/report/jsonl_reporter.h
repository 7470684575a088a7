// JSON Lines for tools built on hmt: one JSON object per line and event
// (run_started, case_started, assertion, case_finished, bail_out,
// run_finished), each with "schema": 1. docs/jsonl-schema.md is the
// contract; fields are only added within a schema version.
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "harness/report/reporter.h"

namespace hmt {

inline constexpr int kJsonlSchema = 1;

class JsonlReporter : public Reporter {
 public:
  explicit JsonlReporter(std::ostream& out);

  void run_started(const RunInfo& info) override;
  void case_started(const std::string& name) override;
  void case_finished(const CaseResult& result) override;
  void bail_out(const std::string& reason) override;
  void run_finished(const RunSummary& summary) override;

 private:
  void write(const nlohmann::json& object);

  std::ostream& out_;
};

}  // namespace hmt
