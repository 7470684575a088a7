// The report formats, as two tables: those `--format NAME` prints on stdout
// and those written to a file named by an option of their own (`--junit
// FILE`). A new format is its reporter plus one row here; the command
// line's options, validation, help, man page and completions read the same
// tables.
#pragma once

#include <filesystem>
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

// A report written to a file: `--<option> FILE`.
struct FileReportFormat {
  std::string_view option;   // "junit"
  std::string_view what;     // "JUnit", in messages about the file
  std::string_view summary;  // for --help
  std::function<std::unique_ptr<Reporter>(const std::filesystem::path& file)> make;
};

const std::vector<ReportFormat>& report_formats();
const std::vector<FileReportFormat>& file_report_formats();
const ReportFormat* find_report_format(std::string_view name);
// "tap, console or jsonl"
std::string report_format_names();

}  // namespace hmt
