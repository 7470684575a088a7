#include "process/process.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/version.hpp>
#include <fmt/core.h>

#include "process/child.h"
#include "process/temporary_folder.h"

namespace hmt {

namespace {

using namespace child;
using namespace std::chrono_literals;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

std::filesystem::path find_on_path(const std::string& program) {
  auto found = bp::search_path(program);
  return found.empty() ? std::filesystem::path() : std::filesystem::path(found.string());
}

ProcessResult SystemProcessRunner::run(const ProcessSpec& spec) {
  ProcessResult result;
  const auto started = Clock::now();
  auto finish = [&](ProcessResult::Outcome outcome) {
    result.outcome = outcome;
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    return result;
  };

  if (spec.argv.empty()) {
    result.error = "empty command line";
    return finish(ProcessResult::Outcome::FailedToStart);
  }
  if (cancellation().requested()) return finish(ProcessResult::Outcome::Cancelled);

  std::filesystem::path program = spec.argv.front();
  if (program.string().find('/') == std::string::npos) {
    program = find_on_path(spec.argv.front());
    if (program.empty()) {
      result.error = fmt::format("'{}' was not found on PATH", spec.argv.front());
      return finish(ProcessResult::Outcome::FailedToStart);
    }
  }
  if (::access(program.c_str(), X_OK) != 0) {
    result.error = fmt::format("'{}' is not executable", program.string());
    return finish(ProcessResult::Outcome::FailedToStart);
  }

  auto capture = TemporaryFolder::create("hmt-proc-");
  if (!capture) {
    result.error = fmt::format("no room for the child's output: {}", capture.error());
    return finish(ProcessResult::Outcome::FailedToStart);
  }
  const std::filesystem::path out_file = capture->path() / "stdout";
  const std::filesystem::path err_file = capture->path() / "stderr";

  const ChildEnvironment child_env(spec.env, spec.unset_env);

  std::vector<std::string> args(spec.argv.begin() + 1, spec.argv.end());
  bp::group group;
  bp::child child;
  std::error_code ec;
  const std::string cwd = spec.cwd ? spec.cwd->string() : std::filesystem::current_path().string();
  child = bp::child(bp::exe = program.string(), bp::args = args,  //
                    bp::std_in < bp::null,                         //
                    bp::std_out > out_file.string(),               //
                    bp::std_err > err_file.string(),               //
                    bp::start_dir = cwd, group, child_env, PrepareChild{}, ec);
  if (ec) {
    result.error = fmt::format("could not start '{}': {}", program.string(), ec.message());
    return finish(ProcessResult::Outcome::FailedToStart);
  }
  const pid_t group_id = child.id();  // the first child leads the group
  const WatchedGroup watched(watchdog_, group_id);

  const auto deadline = spec.timeout ? std::optional(started + *spec.timeout) : std::nullopt;
  ProcessResult::Outcome outcome = ProcessResult::Outcome::Exited;
  while (child.running(ec)) {
    result.peak_memory_kib = std::max(result.peak_memory_kib, peak_memory_kib_of(group_id));
    if (cancellation().requested()) {
      stop_group(child, group_id);
      outcome = ProcessResult::Outcome::Cancelled;
      break;
    }
    if (deadline && Clock::now() >= *deadline) {
      stop_group(child, group_id);
      outcome = ProcessResult::Outcome::TimedOut;
      break;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  // Whatever the leader left behind in its group goes with it.
  signal_group(group_id, SIGKILL);
  group.detach();

  if (outcome == ProcessResult::Outcome::Exited) {
    const int status = child.native_exit_code();
    if (WIFSIGNALED(status)) {
      outcome = cancellation().requested() ? ProcessResult::Outcome::Cancelled : ProcessResult::Outcome::Signaled;
      result.exit_code = WTERMSIG(status);
    } else {
      result.exit_code = WEXITSTATUS(status);
    }
  }
  result.out = read_file(out_file);
  result.err = read_file(err_file);
  return finish(outcome);
}

std::size_t peak_memory_kib_of(int pid) {
  std::ifstream status(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) {
      try {
        return std::stoul(line.substr(6));
      } catch (const std::exception&) {
        return 0;
      }
    }
  return 0;
}

}  // namespace hmt
