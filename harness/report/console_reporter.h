// Output for a human at a terminal: one line per finished case, the failed
// assertions of a failed case underneath, a summary at the end. When live
// (stdout is a TTY) a status line below the results shows progress and the
// running cases, rewritten in place.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "harness/report/reporter.h"

namespace hmt {

// Colour only on a terminal, never with NO_COLOR set to anything non-empty
// (https://no-color.org) or TERM=dumb.
bool console_wants_color(bool is_tty);

class ConsoleReporter : public Reporter {
 public:
  // width bounds the live status line, which must not wrap to be rewritable.
  ConsoleReporter(std::ostream& out, bool color, bool live, std::size_t width = 80);

  void run_started(const RunInfo& info) override;
  void case_started(const std::string& name) override;
  void progress(const Progress& progress) override;
  void case_finished(const CaseResult& result) override;
  void bail_out(const std::string& reason) override;
  void run_finished(const RunSummary& summary) override;
  std::optional<std::string> write_failure() const override { return stream_check_.failure(); }

 private:
  std::string paint(std::string_view text, std::string_view sgr) const;
  std::string diff_line(std::string_view line) const;
  void clear_status();
  void draw_status();

  std::ostream& out_;
  bool color_;
  bool live_;
  std::size_t width_;
  std::size_t total_ = 0;
  std::size_t done_ = 0;
  std::vector<std::string> running_;  // in start order
  Progress progress_;
  bool status_shown_ = false;
  StreamCheck stream_check_{"the console report"};
};

}  // namespace hmt
