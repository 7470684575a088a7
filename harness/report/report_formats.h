// The formats `--format NAME` can print on stdout, as one table: a new
// format is its reporter plus one row here; the CLI's validation and help
// read the same table.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "harness/report/reporter.h"

namespace hmt {

// What a stdout reporter may depend on, decided once by main.
struct ReportContext {
  std::ostream& out;
  bool tty = false;   // stdout is a terminal
  bool live = false;  // and may be rewritten in place (not TERM=dumb)
  bool color = false;
  int tap_version = 13;
};

struct ReportFormat {
  std::string_view name;
  std::string_view summary;  // for --help
  std::function<std::unique_ptr<Reporter>(const ReportContext&)> make;
};

const std::vector<ReportFormat>& report_formats();
const ReportFormat* find_report_format(std::string_view name);
// "tap, console or jsonl"
std::string report_format_names();

}  // namespace hmt
