#include "harness/report/github_reporter.h"

#include <sstream>

#include "tests/catch.h"

#include "result_builders.h"
#include "temp_dir.h"

using namespace hmt;
using namespace hmt::testing;
using namespace std::chrono_literals;
using hmt::testing::Contains;

namespace {

RunSummary summary(int passed, int failed, int skipped, std::chrono::milliseconds duration) {
  RunSummary s;
  s.passed = passed;
  s.failed = failed;
  s.skipped = skipped;
  s.duration = duration;
  return s;
}

CaseResult failing_case() {
  auto c = make_case("failing", Status::Fail, 340ms);
  c.file = "/repo/cases/failing.nix";
  c.line = 4;
  c.rerun = "hmt -- failing";
  auto content = failed_assertion("assertFileContent", {"a.conf", "./expected"}, 2, "a.conf differs: 100%");
  content.diff = "-a = 1\n+a = 2\n";
  content.case_line = 9;
  c.assertions.push_back(content);
  c.assertions.push_back(failed_assertion("assertFileExists", {"b"}, 3, "b does not exist"));
  return c;
}

}  // namespace

TEST_CASE("GitHub: messages escape %, CR and LF, properties also : and ,") {
  CHECK(github_escape_data("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d");
  CHECK(github_escape_property("hmt: a,b%\n") == "hmt%3A a%2Cb%25%0A");
  CHECK(github_escape_data("bad\xff") == "bad\\xFF");
}

TEST_CASE("GitHub: only GITHUB_ACTIONS=true turns the annotations on") {
  CHECK(in_github_actions("true"));
  CHECK_FALSE(in_github_actions("false"));
  CHECK_FALSE(in_github_actions(""));
  CHECK_FALSE(in_github_actions(nullptr));
}

TEST_CASE("GitHub: an annotation per failed assertion, at its case line where known") {
  std::ostringstream out;
  GithubReporter github(out, "/repo", std::nullopt);
  github.run_started({{"failing", "passing"}, ""});
  github.case_finished(make_case("passing", Status::Pass, 1ms));
  github.case_finished(failing_case());
  CHECK(out.str() ==
        "::error file=cases/failing.nix,line=9,title=hmt%3A failing::assertFileContent a.conf ./expected: "
        "a.conf differs: 100%25%0A-a = 1%0A+a = 2%0A\n"
        "::error file=cases/failing.nix,line=4,title=hmt%3A failing::assertFileExists b: b does not exist\n");
}

TEST_CASE("GitHub: a failed case without failed assertions is one annotation with Nix's error") {
  std::ostringstream out;
  GithubReporter github(out, "/elsewhere", std::nullopt);
  auto c = make_case("eval-error", Status::Error, 1ms, "evaluating the case failed");
  c.file = "/repo/e.nix";
  c.nix_error = "error: boom";
  github.case_finished(c);
  CHECK(out.str() ==
        "::error file=/repo/e.nix,title=hmt%3A eval-error::evaluating the case failed%0Aerror: boom\n");
  github.bail_out("stopped: SIGTERM");
  CHECK_THAT(out.str(), Contains("::error title=hmt bailed out::stopped: SIGTERM\n"));
}

TEST_CASE("GitHub: the step summary has counts, failed cases, rerun commands and the slowest cases") {
  std::ostringstream out;
  GithubReporter github(out, "/repo", std::nullopt, 2);
  github.case_finished(make_case("quick", Status::Pass, 5ms));
  github.case_finished(make_case("slow", Status::Pass, 4000ms));
  github.case_finished(make_case("skipped", Status::Skip, 9000ms));
  github.case_finished(failing_case());
  const std::string md = github.summary_markdown(summary(2, 1, 1, 4500ms));
  CHECK(md.rfind("## hmt: 2 passed, 1 failed, 1 skipped in 4.5s\n", 0) == 0);
  CHECK_THAT(md, Contains("| failing | FAIL | 2 of 2 assertions failed | \\/repo\\/cases\\/failing\\.nix\\:4 |\n"));
  CHECK_THAT(md, Contains("```sh\nhmt -- failing\n```\n"));
  CHECK_THAT(md, Contains("### Slowest cases\n\n| case | status | time |\n|---|---|---|\n"
                          "| slow | PASS | 4.0s |\n| failing | FAIL | 340ms |\n"));
  CHECK(md.find("quick") == std::string::npos);
  CHECK(md.find("skipped |") == std::string::npos);
}

TEST_CASE("GitHub: names cannot add Markdown or break the table") {
  CHECK(markdown_text("a|b *c* <img>\nd") == "a\\|b \\*c\\* \\<img\\> d");
}

TEST_CASE("GitHub: the summary is appended to $GITHUB_STEP_SUMMARY") {
  TempDir dir;
  const auto file = dir.write("summary.md", "before\n");
  std::ostringstream out;
  GithubReporter github(out, "", file);
  github.case_finished(make_case("a", Status::Pass, 1ms));
  github.run_finished(summary(1, 0, 0, 1ms));
  std::ifstream in(file);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.rfind("before\n## hmt: 1 passed, 0 failed, 0 skipped in 1ms\n", 0) == 0);
  CHECK_FALSE(github.write_failure());

  GithubReporter broken(out, "", std::filesystem::path("/nonexistent-hmt-dir/s.md"));
  broken.run_finished(summary(0, 0, 0, 1ms));
  CHECK(broken.write_failure() ==
        "cannot append to $GITHUB_STEP_SUMMARY /nonexistent-hmt-dir/s.md: No such file or directory");
}

TEST_CASE("GitHub: the summary counts cached verdicts and leaves them out of the slowest") {
  std::ostringstream out;
  GithubReporter github(out, "/repo", std::nullopt, 5);
  auto cached = make_case("cached-slow", Status::Pass, 9000ms);
  cached.cached = true;
  github.case_finished(cached);
  github.case_finished(make_case("fresh", Status::Pass, 5ms));
  auto s = summary(2, 0, 0, 5ms);
  s.cached = 1;
  const std::string md = github.summary_markdown(s);
  CHECK(md.rfind("## hmt: 2 passed, 0 failed, 0 skipped (1 cached) in 5ms\n", 0) == 0);
  CHECK(md.find("cached-slow") == std::string::npos);
}
