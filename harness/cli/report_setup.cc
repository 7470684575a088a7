#include "harness/cli/report_setup.h"

#include <filesystem>

#include <fmt/format.h>

#include "harness/report/github_reporter.h"

namespace hmt {

std::optional<std::string> add_reporters(const CliOptions& options, const ReportContext& context,
                                         const ReportEnvironment& environment, ReporterSet& reporters) {
  reporters.add(find_report_format(options.format)->make(context));
  for (const auto& report : file_report_formats()) {
    const auto file = options.report_files.find(std::string(report.option));
    if (file == options.report_files.end()) continue;
    if (auto problem = output_file_problem(file->second))
      return fmt::format("cannot write the {} report to {}: {}", report.what, file->second.string(), *problem);
    reporters.add(report.make(file->second));
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
