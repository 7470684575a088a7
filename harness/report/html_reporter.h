// --html FILE: one self-contained HTML page (inline CSS and JS, nothing
// fetched) to keep as a CI artefact and open in a browser: the counts at
// the top, a filter by status and by name (also from the URL hash, e.g.
// report.html#status=fail&name=git), and each case with its failing
// assertions, coloured diff, expected and actual values, Nix's error,
// timings, the tested tree and the command that reruns it. The file is
// (re)written when the run finishes or bails out.
#pragma once

#include <chrono>
#include <string>

#include "harness/report/file_reporter.h"

namespace hmt {

class HtmlReporter : public FileReporter {
 public:
  explicit HtmlReporter(std::string path);
  std::string render(std::chrono::milliseconds duration) const override;
};

}  // namespace hmt
