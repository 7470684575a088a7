// A ProcessRunner that answers from a function instead of starting
// processes, and records what it was asked to run.
#pragma once

#include <functional>
#include <mutex>
#include <vector>

#include "process/process.h"

namespace hmt::testing {

class FakeProcessRunner : public ProcessRunner {
 public:
  using Responder = std::function<ProcessResult(const ProcessSpec&)>;
  explicit FakeProcessRunner(Responder responder) : responder_(std::move(responder)) {}

  // Like the real runner, a cancelled one starts nothing; a responder may
  // call cancellation().cancel() to play an interrupt during that call.
  ProcessResult run(const ProcessSpec& spec) override {
    if (cancellation().requested()) {
      ProcessResult cancelled;
      cancelled.outcome = ProcessResult::Outcome::Cancelled;
      return cancelled;
    }
    {
      std::lock_guard lock(mutex_);
      calls_.push_back(spec);
    }
    ProcessResult result = responder_(spec);
    if (cancellation().requested()) result.outcome = ProcessResult::Outcome::Cancelled;
    return result;
  }

  std::vector<ProcessSpec> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  Responder responder_;
  std::mutex mutex_;
  std::vector<ProcessSpec> calls_;
};

inline ProcessResult exited(int code, std::string out = "", std::string err = "") {
  ProcessResult r;
  r.outcome = ProcessResult::Outcome::Exited;
  r.exit_code = code;
  r.out = std::move(out);
  r.err = std::move(err);
  return r;
}

inline ProcessResult timed_out() {
  ProcessResult r;
  r.outcome = ProcessResult::Outcome::TimedOut;
  r.elapsed = std::chrono::milliseconds(5000);
  return r;
}

// The value following `flag` in argv, or "".
inline std::string arg_after(const ProcessSpec& spec, const std::string& flag) {
  for (std::size_t i = 0; i + 1 < spec.argv.size(); ++i)
    if (spec.argv[i] == flag) return spec.argv[i + 1];
  return "";
}

}  // namespace hmt::testing
