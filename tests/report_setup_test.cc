#include "harness/cli/report_setup.h"

#include <map>
#include <sstream>

#include "tests/catch.h"

#include "result_builders.h"
#include "temp_dir.h"

using namespace hmt;
using namespace hmt::testing;
using namespace std::chrono_literals;

namespace {

struct FakeEnvironment {
  std::map<std::string, std::string> values;
  std::ostringstream annotations;
  ReportEnvironment get() {
    return {[this](const char* name) -> const char* {
              const auto it = values.find(name);
              return it == values.end() ? nullptr : it->second.c_str();
            },
            &annotations};
  }
};

void run_one_failure(ReporterSet& reporters) {
  reporters.run_started({{"bad"}, ""});
  reporters.case_finished(make_case("bad", Status::Fail, 1ms, "broken"));
  reporters.run_finished(RunSummary{});
}

}  // namespace

TEST_CASE("the stdout format and each report file asked for are written") {
  TempDir dir;
  auto options = parse_cli({"--format", "console", "--junit", (dir.path() / "r.xml").string(), "--html",
                            (dir.path() / "r.html").string()});
  REQUIRE(options.ok());
  std::ostringstream out;
  FakeEnvironment env;
  ReporterSet reporters;
  REQUIRE_FALSE(add_reporters(*options, ReportContext{out}, env.get(), reporters));
  run_one_failure(reporters);
  CHECK(out.str().rfind("FAIL bad", 0) == 0);
  CHECK(fs::file_size(dir.path() / "r.xml") > 0);
  CHECK(fs::file_size(dir.path() / "r.html") > 0);
  CHECK(env.annotations.str().empty());
}

TEST_CASE("a report file that cannot be written is a setup error naming it") {
  auto options = parse_cli({"--html", "/nonexistent-hmt-dir/r.html"});
  REQUIRE(options.ok());
  std::ostringstream out;
  FakeEnvironment env;
  ReporterSet reporters;
  const auto problem = add_reporters(*options, ReportContext{out}, env.get(), reporters);
  REQUIRE(problem);
  CHECK(*problem == "cannot write the HTML report to /nonexistent-hmt-dir/r.html: "
                    "folder /nonexistent-hmt-dir does not exist");
}

TEST_CASE("GITHUB_ACTIONS=true adds the annotations and the step summary") {
  TempDir dir;
  auto options = parse_cli({});
  REQUIRE(options.ok());
  std::ostringstream out;
  FakeEnvironment env;
  env.values = {{"GITHUB_ACTIONS", "true"}, {"GITHUB_STEP_SUMMARY", (dir.path() / "s.md").string()}};
  ReporterSet reporters;
  REQUIRE_FALSE(add_reporters(*options, ReportContext{out}, env.get(), reporters));
  run_one_failure(reporters);
  CHECK(env.annotations.str() == "::error file=tests/bad.nix,title=hmt%3A bad::broken\n");
  CHECK(fs::exists(dir.path() / "s.md"));
  CHECK(out.str().rfind("TAP version 13\n", 0) == 0);
}
