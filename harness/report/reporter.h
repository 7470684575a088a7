// One event interface for every reporter (TAP, JUnit, console). The runner
// emits events; reporters only format them. Several reporters can listen to
// one run through ReporterSet.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
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
  int cached = 0;  // of the above, verdicts from the cache
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
  // Why the report could not be written (a closed pipe, a full disk), once
  // it could not; the run must then not end as if it had a report.
  virtual std::optional<std::string> write_failure() const { return std::nullopt; }
};

// Remembers the first failed write to a report stream, with the system's
// reason; `what` names the report, e.g. "the TAP report".
class StreamCheck {
 public:
  explicit StreamCheck(std::string what) : what_(std::move(what)) {}
  // Call right after writing (errno still says why).
  void after_write(const std::ostream& out);
  const std::optional<std::string>& failure() const { return failure_; }

 private:
  std::string what_;
  std::optional<std::string> failure_;
};

// Why `file` cannot be written ("folder /x does not exist", "/x is a
// folder"), checked before the first case runs so that a run never ends
// without the report it was asked for; nullopt when it can. Creates the file
// when it does not exist.
std::optional<std::string> output_file_problem(const std::filesystem::path& file);

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
  // The first failure of any reporter.
  std::optional<std::string> write_failure() const override;
  // Called once, from inside the event that met the first failure.
  void on_write_failure(std::function<void(const std::string&)> callback);

 private:
  void check_writes();

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Reporter>> reporters_;
  std::function<void(const std::string&)> on_write_failure_;
  bool failure_told_ = false;
};

}  // namespace hmt
