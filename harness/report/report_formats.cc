#include "harness/report/report_formats.h"

#include "harness/report/console_reporter.h"
#include "harness/report/html_reporter.h"
#include "harness/report/jsonl_reporter.h"
#include "harness/report/junit_reporter.h"
#include "harness/report/tap_reporter.h"

namespace hmt {

const std::vector<ReportFormat>& report_formats() {
  static const std::vector<ReportFormat> formats = {
      {"tap", "TAP 13 or 14 (see --tap-version), the default",
       [](const ReportContext& c) { return std::make_unique<TapReporter>(c.out, c.tap_version); }},
      {"console", "for people: progress, colour, failures with diffs",
       [](const ReportContext& c) { return std::make_unique<ConsoleReporter>(c.out, c.color, c.live); }},
      {"jsonl", "one JSON object per event, for tools (docs/jsonl-schema.md)",
       [](const ReportContext& c) { return std::make_unique<JsonlReporter>(c.out); }},
  };
  return formats;
}

const std::vector<FileReportFormat>& file_report_formats() {
  static const std::vector<FileReportFormat> formats = {
      {"junit", "JUnit", "also write a JUnit XML report to FILE",
       [](const std::filesystem::path& file) { return std::make_unique<JunitReporter>(file.string()); }},
      {"html", "HTML", "also write a self-contained HTML report to FILE, to open in a browser",
       [](const std::filesystem::path& file) { return std::make_unique<HtmlReporter>(file.string()); }},
  };
  return formats;
}

const ReportFormat* find_report_format(std::string_view name) {
  for (const auto& format : report_formats())
    if (format.name == name) return &format;
  return nullptr;
}

std::string report_format_names() {
  const auto& formats = report_formats();
  std::string out;
  for (std::size_t i = 0; i < formats.size(); ++i) {
    if (i > 0) out += i + 1 == formats.size() ? " or " : ", ";
    out += formats[i].name;
  }
  return out;
}

}  // namespace hmt
