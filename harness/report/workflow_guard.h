// GitHub's runner takes any line of a job's log that starts with "::",
// once the blanks before it are trimmed, as a workflow command
// (::stop-commands::, ::add-mask::, ::error::, ...). hmt prints text it
// does not control: file contents, Nix's errors, case names, script output.
// WorkflowCommandGuard sits between hmt and a stream and writes the first
// ':' of such a line as "\x3A" (as bytes that are not UTF-8 are shown as
// "\xFF"), so no text hmt prints can command the CI it runs in; hmt's own
// annotations are written past it.
#pragma once

#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

namespace hmt {

// Whether GitHub's runner would take this line for a workflow command.
bool looks_like_workflow_command(std::string_view line);

class WorkflowCommandGuard : public std::streambuf {
 public:
  explicit WorkflowCommandGuard(std::streambuf* sink) : sink_(sink) {}
  // Writes what it still holds (the blanks of an unfinished line).
  ~WorkflowCommandGuard() override;
  WorkflowCommandGuard(const WorkflowCommandGuard&) = delete;
  WorkflowCommandGuard& operator=(const WorkflowCommandGuard&) = delete;

 protected:
  int_type overflow(int_type ch) override;
  std::streamsize xsputn(const char* text, std::streamsize count) override;
  // Flushes the sink; a line's leading blanks stay held until the line
  // shows whether it would be a command.
  int sync() override;

 private:
  void take(char byte, std::string& out);

  std::streambuf* sink_;
  bool line_start_ = true;  // only blanks since the last line break
  std::string held_;        // those blanks, not written yet
  std::string partial_;     // bytes that may become a blank or "::"
};

// For a run's lifetime: std::cout and std::cerr go through guards, and
// raw_stderr() writes past them, for hmt's own workflow commands.
class GuardedStandardStreams {
 public:
  GuardedStandardStreams();
  ~GuardedStandardStreams();
  GuardedStandardStreams(const GuardedStandardStreams&) = delete;
  GuardedStandardStreams& operator=(const GuardedStandardStreams&) = delete;
  std::ostream& raw_stderr() { return raw_stderr_; }

 private:
  std::streambuf* out_sink_;
  std::streambuf* err_sink_;
  WorkflowCommandGuard out_;
  WorkflowCommandGuard err_;
  std::ostream raw_stderr_;
};

}  // namespace hmt
