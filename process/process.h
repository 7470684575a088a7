// Running child processes: argv vectors, no shell, captured output, a
// timeout that kills the child's whole process group, and a Cancellation
// that stops them all. Behind an interface so the Nix driver, the runner and
// the script runner can be tested with a fake.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "process/cancellation.h"
#include "process/expected.h"

namespace hmt {

class Watchdog;

// Between SIGTERM and SIGKILL when a child's group is stopped: nix-build
// uses it to stop its builders (which run in sessions of their own).
inline constexpr std::chrono::milliseconds kStopGrace{3000};

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is looked up on PATH when it has no '/'
  std::optional<std::filesystem::path> cwd;
  std::map<std::string, std::string> env;  // set on top of the inherited environment
  std::set<std::string> unset_env;         // left out of the inherited environment
  std::optional<std::chrono::milliseconds> timeout;
};

struct ProcessResult {
  enum class Outcome {
    Exited,         // exit_code holds the status
    Signaled,       // killed by a signal it did not expect; exit_code holds the signal
    TimedOut,       // the timeout ran out and the group was killed
    Cancelled,      // the runner's cancellation was requested and the group was stopped
    FailedToStart,  // error says why (not found, not executable)
  };
  Outcome outcome = Outcome::Exited;
  int exit_code = 0;
  std::string out;
  std::string err;
  std::string error;  // for FailedToStart
  std::chrono::milliseconds elapsed{0};
  // The child's peak resident memory as last seen while it ran (KiB; 0 when
  // never seen): what --verbose reports of each evaluator.
  std::size_t peak_memory_kib = 0;

  bool ok() const { return outcome == Outcome::Exited && exit_code == 0; }
};

// What a session's child said up to the line a caller waited for.
struct SessionReply {
  enum class Outcome {
    Answered,   // the marker line came; text holds what came before it
    Exited,     // the child ended first (exit_code: its status, or 128 + signal)
    TimedOut,   // the time limit ran out; the child's group was stopped
    Cancelled,  // the runner's cancellation was requested; the group was stopped
  };
  Outcome outcome = Outcome::Answered;
  std::string text;  // stderr since the last reply, without the marker line
  int exit_code = 0;
};

// A child that stays up across many requests (an evaluator such as
// `nix repl`): input goes to its stdin as it is sent, its stderr is read up
// to a marker line, its stdout is dropped. Destroying it ends the child's
// whole group. Used from one thread at a time.
class Session {
 public:
  virtual ~Session() = default;
  // Writes to the child's stdin; false when the child is gone.
  virtual bool send(const std::string& input) = 0;
  // Reads stderr until a line that is exactly `marker`. After anything but
  // Answered the child is gone and the session is of no further use.
  virtual SessionReply read_until(const std::string& marker, std::optional<std::chrono::milliseconds> timeout) = 0;
  // The child's peak resident memory so far (KiB; 0 when never seen).
  virtual std::size_t peak_memory_kib() = 0;
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Returns Cancelled at once when cancellation() was requested.
  virtual ProcessResult run(const ProcessSpec& spec) = 0;
  // Starts a session (spec.timeout is not used: each read has its own).
  virtual Expected<std::unique_ptr<Session>> open(const ProcessSpec& spec) = 0;
  // Cancelling it stops every running child and every later run.
  Cancellation& cancellation() { return cancellation_; }

 private:
  Cancellation cancellation_;
};

// The real thing: Boost.Process, each child in a process group of its own
// that is told to the watchdog (when there is one) while it lives; each
// child also gets SIGTERM if the thread that started it dies.
class SystemProcessRunner : public ProcessRunner {
 public:
  explicit SystemProcessRunner(Watchdog* watchdog = nullptr) : watchdog_(watchdog) {}
  ProcessResult run(const ProcessSpec& spec) override;
  Expected<std::unique_ptr<Session>> open(const ProcessSpec& spec) override;

 private:
  Watchdog* watchdog_;
};

// A process's peak resident memory so far (VmHWM), in KiB; 0 when it
// cannot be read (the process is gone).
std::size_t peak_memory_kib_of(int pid);

// Looks a program up on PATH; empty when it is not there.
std::filesystem::path find_on_path(const std::string& program);

}  // namespace hmt
