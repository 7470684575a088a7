// A ProcessRunner that answers from a function instead of starting
// processes, and records what it was asked to run. Sessions answer line by
// line from a function too.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "process/process.h"

namespace hmt::testing {

// What a fake session's child writes to stderr for one line of input, and
// what it does next.
struct FakeLine {
  enum class Then { GoesOn, Exits, Hangs };
  std::string err;
  Then then = Then::GoesOn;
  std::size_t memory_kib = 0;  // its peak memory from then on, when more
};
using LineResponder = std::function<FakeLine(const std::string& line)>;

class FakeSession : public Session {
 public:
  FakeSession(LineResponder responder, Cancellation& cancellation)
      : responder_(std::move(responder)), cancellation_(cancellation) {}

  bool send(const std::string& input) override {
    if (state_ == FakeLine::Then::Exits) return false;
    pending_ += input;
    for (std::size_t end; (end = pending_.find('\n')) != std::string::npos; pending_.erase(0, end + 1)) {
      if (state_ != FakeLine::Then::GoesOn) continue;
      FakeLine said = responder_(pending_.substr(0, end));
      buffer_ += said.err;
      state_ = said.then;
      peak_ = std::max(peak_, said.memory_kib);
    }
    return true;
  }

  SessionReply read_until(const std::string& marker, std::optional<std::chrono::milliseconds>) override {
    const std::string line = marker + "\n";
    const std::size_t at = buffer_.rfind(line, 0) == 0 ? 0 : buffer_.find("\n" + line);
    if (at != std::string::npos) {
      const std::size_t text_end = at == 0 ? 0 : at + 1;
      SessionReply reply{SessionReply::Outcome::Answered, buffer_.substr(0, text_end), 0};
      buffer_.erase(0, text_end + line.size());
      return reply;
    }
    SessionReply ended{SessionReply::Outcome::TimedOut, std::exchange(buffer_, {}), 0};
    if (cancellation_.requested())
      ended.outcome = SessionReply::Outcome::Cancelled;
    else if (state_ == FakeLine::Then::Exits)
      ended = {SessionReply::Outcome::Exited, ended.text, 1};
    state_ = FakeLine::Then::Exits;
    return ended;
  }

  std::size_t peak_memory_kib() override { return peak_; }

 private:
  LineResponder responder_;
  Cancellation& cancellation_;
  std::string pending_;
  std::string buffer_;
  FakeLine::Then state_ = FakeLine::Then::GoesOn;
  std::size_t peak_ = 0;
};

class FakeProcessRunner : public ProcessRunner {
 public:
  using Responder = std::function<ProcessResult(const ProcessSpec&)>;
  // Gives each session its responder; none: sessions cannot be opened.
  using SessionOpener = std::function<LineResponder(const ProcessSpec&)>;
  explicit FakeProcessRunner(Responder responder, SessionOpener opener = {})
      : responder_(std::move(responder)), opener_(std::move(opener)) {}

  Expected<std::unique_ptr<Session>> open(const ProcessSpec& spec) override {
    if (cancellation().requested()) return Error{"the run is stopping"};
    if (!opener_) return Error{"this fake runner opens no sessions"};
    {
      std::lock_guard lock(mutex_);
      opened_.push_back(spec);
    }
    return std::unique_ptr<Session>(std::make_unique<FakeSession>(opener_(spec), cancellation()));
  }

  std::vector<ProcessSpec> opened() {
    std::lock_guard lock(mutex_);
    return opened_;
  }

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
  SessionOpener opener_;
  std::mutex mutex_;
  std::vector<ProcessSpec> calls_;
  std::vector<ProcessSpec> opened_;
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
