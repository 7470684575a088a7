// End-to-end: the reports that say where to look after a failure, on a
// real run with failures: --html, GitHub Actions annotations and summary,
// and the rerun command each failed case carries.
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>

#include "tests/catch.h"

#include "process/process.h"
#include "tests/e2e_support.h"

namespace {

namespace fs = std::filesystem;
using hmt::ProcessResult;
using hmt::testing::Contains;

using hmt::e2e::read_file;

fs::path scratch(const std::string& name) {
  return fs::temp_directory_path() / ("hmt-e2e-" + std::to_string(::getpid()) + "-" + name);
}

const std::vector<std::string> kSome = {"passing", "failing", "eval-error"};

}  // namespace

TEST_CASE("html report of a run with failures shows the counts, the diff and where to look") {
  const auto page_path = scratch("report.html");
  auto args = std::vector<std::string>{"--html", page_path.string()};
  args.insert(args.end(), kSome.begin(), kSome.end());
  ProcessResult r = hmt::e2e::run_fixture("cases", args);
  const std::string page = read_file(page_path);
  fs::remove(page_path);
  INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(page, Contains(R"(<span id="count-total">3</span>)"));
  CHECK_THAT(page, Contains(R"(<span id="count-fail">2</span>)"));
  CHECK_THAT(page, Contains(R"(<span class="diff-add">+name = nmt</span>)"));
  CHECK_THAT(page, Contains(R"(<dd class="tested">/nix/store/)"));
  CHECK_THAT(page, Contains("this case is broken on purpose"));
  CHECK_THAT(page, Contains("/tests/fixtures/cases/failing.nix</dd>"));
}

TEST_CASE("an unwritable html report is a setup error before any case runs") {
  ProcessResult r = hmt::e2e::run_fixture("cases", {"--html", "/nonexistent-hmt-dir/r.html", "passing"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("cannot write the HTML report to /nonexistent-hmt-dir/r.html"));
}

TEST_CASE("under GitHub Actions each failed assertion is an annotation and the step gets a summary") {
  const auto summary = scratch("summary.md");
  std::ofstream(summary) << "earlier step\n";
  ProcessResult r = hmt::e2e::run_fixture(
      "cases", kSome,
      {{"GITHUB_ACTIONS", "true"}, {"GITHUB_STEP_SUMMARY", summary.string()}, {"GITHUB_WORKSPACE", HMT_SOURCE_ROOT}});
  const std::string markdown = read_file(summary);
  fs::remove(summary);
  INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
  CHECK(r.exit_code == 1);
  // Relative to the workspace, at the assertion's line in the case file,
  // with ':' escaped in the title property.
  CHECK_THAT(r.err, Contains("::error file=tests/fixtures/cases/failing.nix,line=6,title=hmt%3A failing::"
                             "assertFileContains home-files/.config/app/app.conf 'name = nmt': "));
  CHECK_THAT(r.err, Contains("::error file=tests/fixtures/cases/failing.nix,line=7,title=hmt%3A failing::"
                             "assertFileContent "));
  // The title line is the reason: Nix's message, then where it was thrown
  // when Nix says (2.13 and later), then the error itself.
  const std::string eval_error = "title=hmt%3A eval-error::evaluating the case failed: fixture: this case is broken on purpose";
  const auto reason = r.err.find(eval_error);
  REQUIRE(reason != std::string::npos);
  const std::string after = r.err.substr(reason + eval_error.size());
  const std::string position = std::string(" at ") + HMT_SOURCE_ROOT + "/tests/fixtures/cases/eval-error.nix:3:12%0A";
  CHECK((after.rfind("%0A", 0) == 0 || after.rfind(position, 0) == 0));
  // stdout stays plain TAP.
  CHECK(r.out.find("::error") == std::string::npos);
  CHECK(markdown.rfind("earlier step\n## hmt: 1 passed, 2 failed, 0 skipped", 0) == 0);
  CHECK_THAT(markdown, Contains("### Failed cases"));
  CHECK_THAT(markdown, Contains("| failing | FAIL | 2 of 3 assertions failed |"));
  CHECK_THAT(markdown, Contains("### Slowest cases"));
}

TEST_CASE("the rerun command of a failed case runs that case alone") {
  ProcessResult first = hmt::e2e::run_fixture("cases", {"failing", "passing"});
  INFO("stdout:\n" << first.out << "\nstderr:\n" << first.err);
  const std::string block = hmt::e2e::tap_point_with_block(first.out, "failing");
  const auto at = block.find("  rerun: ");
  REQUIRE(at != std::string::npos);
  const std::string command = block.substr(at + 9, block.find('\n', at) - at - 9);
  CHECK_THAT(command, Contains("--no-default-cases --cases "));
  CHECK_THAT(command, Contains(" -- failing"));

  // "hmt" is found on PATH, as it would be for the reader.
  const auto bin = scratch("bin");
  fs::create_directories(bin);
  fs::create_symlink(HMT_BINARY, bin / "hmt");
  hmt::ProcessSpec spec;
  spec.argv = {"sh", "-c", command};
  spec.env = {{"PATH", bin.string() + ":" + std::getenv("PATH")}};
  spec.timeout = std::chrono::minutes(5);
  ProcessResult again = hmt::SystemProcessRunner().run(spec);
  fs::remove_all(bin);
  INFO("rerun stdout:\n" << again.out << "\nrerun stderr:\n" << again.err);
  CHECK(again.exit_code == 1);
  CHECK(again.out.rfind("TAP version 13\n1..1\nnot ok 1 - failing\n", 0) == 0);
}
