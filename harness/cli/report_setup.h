// The reporters a run asks for: the stdout format, the report files
// (checked writable before the first case runs), and GitHub's annotations
// and step summary when the environment says hmt runs in GitHub Actions.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "harness/cli/cli.h"
#include "harness/report/report_formats.h"
#include "harness/report/reporter.h"

namespace hmt {

struct ReportEnvironment {
  std::function<const char*(const char* name)> getenv;  // std::getenv in hmt
  std::ostream* annotations = nullptr;                  // GitHub's workflow commands: stderr in hmt
};

// A report file that cannot be written is a setup error: its message.
std::optional<std::string> add_reporters(const CliOptions& options, const ReportContext& context,
                                         const ReportEnvironment& environment, ReporterSet& reporters);

}  // namespace hmt
