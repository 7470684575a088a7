#include "harness/report/file_reporter.h"

#include <fmt/format.h>

#include "tests/catch.h"

#include "result_builders.h"
#include "temp_dir.h"

using namespace hmt;
using namespace hmt::testing;
using namespace std::chrono_literals;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Renders what it collected as one line.
class CountingReport : public FileReporter {
 public:
  using FileReporter::FileReporter;
  std::string render(std::chrono::milliseconds duration) const override {
    return fmt::format("{} planned, {} done in {}ms{}\n", info().case_names.size(), results().size(),
                       duration.count(), bail_reason() ? ", bailed out: " + *bail_reason() : "");
  }
};

}  // namespace

TEST_CASE("a file report is written whole when the run finishes, and rewritten") {
  TempDir dir;
  const auto path = dir.path() / "report.txt";
  CountingReport report(path.string(), "test report");
  report.run_started({{"a", "b"}, ""});
  report.case_finished(make_case("a", Status::Pass, 5ms));
  CHECK_FALSE(fs::exists(path));
  RunSummary summary;
  summary.duration = 40ms;
  report.run_finished(summary);
  CHECK(read_file(path) == "2 planned, 1 done in 40ms\n");
  report.case_finished(make_case("b", Status::Pass, 5ms));
  report.run_finished(summary);
  CHECK(read_file(path) == "2 planned, 2 done in 40ms\n");
}

TEST_CASE("a bail out writes the report with the cases' own time and the reason") {
  TempDir dir;
  const auto path = dir.path() / "report.txt";
  CountingReport report(path.string(), "test report");
  report.run_started({{"a", "b"}, ""});
  report.case_finished(make_case("a", Status::Pass, 7ms));
  report.case_finished(make_case("b", Status::Fail, 8ms));
  report.bail_out("stopped");
  CHECK(read_file(path) == "2 planned, 2 done in 15ms, bailed out: stopped\n");
}

TEST_CASE("a report that cannot be written says which and why, and recovers") {
  CHECK(write_report_file("/dev/full", "x", "test report") ==
        "cannot write the test report /dev/full: No space left on device");
  TempDir dir;
  CHECK_FALSE(write_report_file((dir.path() / "ok").string(), "x", "test report"));
  CHECK(read_file(dir.path() / "ok") == "x");
}
