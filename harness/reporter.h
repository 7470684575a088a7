// One event interface for every reporter (TAP, JUnit, console). The runner
// emits events; reporters only format them. Several reporters can listen to
// one run through ReporterSet.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "assertions/result.h"

namespace hmt {

struct RunInfo {
  std::vector<std::string> case_names;  // the selected cases, in plan order
  std::string started_at;               // ISO 8601 wall-clock time, for JUnit
};

struct RunSummary {
  int passed = 0;
  int failed = 0;  // Fail, Error and Timeout
  int skipped = 0;
  std::chrono::milliseconds duration{0};
  bool bailed_out = false;
};

// What the run is doing between results, for a live view.
struct Progress {
  std::string stage;          // e.g. "listing the cases"; empty once cases run
  std::size_t evaluated = 0;  // cases evaluated so far (or failed to)
  std::size_t total = 0;
  std::size_t building = 0;   // chunks being built now
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void run_started(const RunInfo& info) = 0;
  virtual void case_started(const std::string& /*name*/) {}
  virtual void progress(const Progress& /*progress*/) {}
  virtual void case_finished(const CaseResult& result) = 0;
  // A fatal error: nothing more will run. TAP prints "Bail out!".
  virtual void bail_out(const std::string& reason) = 0;
  virtual void run_finished(const RunSummary& summary) = 0;
};

// Fans events out to several reporters; serialises calls from worker threads.
class ReporterSet : public Reporter {
 public:
  void add(std::unique_ptr<Reporter> reporter);
  void run_started(const RunInfo& info) override;
  void case_started(const std::string& name) override;
  void progress(const Progress& progress) override;
  void case_finished(const CaseResult& result) override;
  void bail_out(const std::string& reason) override;
  void run_finished(const RunSummary& summary) override;

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<Reporter>> reporters_;
};

}  // namespace hmt
