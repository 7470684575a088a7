// Running child processes: argv vectors, no shell, captured output, a
// timeout that kills the child's whole process group. Behind an interface
// so the Nix driver and the script runner can be tested with a fake.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hmt {

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is looked up on PATH when it has no '/'
  std::optional<std::filesystem::path> cwd;
  std::map<std::string, std::string> env;  // set on top of the inherited environment
  std::optional<std::chrono::milliseconds> timeout;
};

struct ProcessResult {
  enum class Outcome {
    Exited,         // exit_code holds the status
    Signaled,       // killed by a signal it did not expect; exit_code holds the signal
    TimedOut,       // the timeout ran out and the group was killed
    Cancelled,      // hmt was interrupted (SIGINT/SIGTERM) and killed the group
    FailedToStart,  // error says why (not found, not executable)
  };
  Outcome outcome = Outcome::Exited;
  int exit_code = 0;
  std::string out;
  std::string err;
  std::string error;  // for FailedToStart
  std::chrono::milliseconds elapsed{0};

  bool ok() const { return outcome == Outcome::Exited && exit_code == 0; }
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  virtual ProcessResult run(const ProcessSpec& spec) = 0;
};

// The real thing: Boost.Process, each child in a process group of its own.
class SystemProcessRunner : public ProcessRunner {
 public:
  ProcessResult run(const ProcessSpec& spec) override;
};

// Kills every live child group and makes later runs return Cancelled.
// Safe to call from a signal-watching thread.
void cancel_all_processes();
bool processes_cancelled();

// Looks a program up on PATH; empty when it is not there.
std::filesystem::path find_on_path(const std::string& program);

}  // namespace hmt
