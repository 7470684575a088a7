#include "harness/cli/report_setup.h"

#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "harness/report/github_reporter.h"
#include "harness/report/html_reporter.h"
#include "harness/report/junit_reporter.h"

namespace hmt {

namespace {

struct FileReport {
  const std::optional<std::filesystem::path>& file;
  const char* what;
  std::unique_ptr<Reporter> (*make)(const std::filesystem::path& file);
};

template <class Report>
std::unique_ptr<Reporter> make_file_report(const std::filesystem::path& file) {
  return std::make_unique<Report>(file.string());
}

}  // namespace

std::optional<std::string> add_reporters(const CliOptions& options, const ReportContext& context,
                                         const ReportEnvironment& environment, ReporterSet& reporters) {
  reporters.add(find_report_format(options.format)->make(context));
  const FileReport file_reports[] = {
      {options.junit, "JUnit", make_file_report<JunitReporter>},
      {options.html, "HTML", make_file_report<HtmlReporter>},
  };
  for (const auto& report : file_reports) {
    if (!report.file) continue;
    if (auto problem = output_file_problem(*report.file))
      return fmt::format("cannot write the {} report to {}: {}", report.what, report.file->string(), *problem);
    reporters.add(report.make(*report.file));
  }
  if (environment.annotations && in_github_actions(environment.getenv("GITHUB_ACTIONS"))) {
    const char* workspace = environment.getenv("GITHUB_WORKSPACE");
    const char* summary = environment.getenv("GITHUB_STEP_SUMMARY");
    reporters.add(std::make_unique<GithubReporter>(
        *environment.annotations, workspace ? workspace : "",
        summary && *summary ? std::optional<std::filesystem::path>(summary) : std::nullopt));
  }
  return std::nullopt;
}

}  // namespace hmt
