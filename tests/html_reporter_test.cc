#include "harness/report/html_reporter.h"

#include "tests/catch.h"

#include "result_builders.h"

using namespace hmt;
using namespace hmt::testing;
using namespace std::chrono_literals;
using hmt::testing::Contains;

namespace {

RunSummary summary_of(std::chrono::milliseconds duration) {
  RunSummary s;
  s.duration = duration;
  return s;
}

CaseResult failing_case() {
  auto failing = make_case("failing", Status::Fail, 340ms);
  failing.line = 12;
  failing.tested = "/nix/store/aaaa-home-manager-generation";
  failing.rerun = "hmt --no-default-cases --cases /src -- failing";
  auto content = content_mismatch();
  failing.assertions.push_back(content);
  failing.assertions.push_back(assertion("assertFileExists", {"home-files/ok"}, 3, Status::Pass, "ok"));
  return failing;
}

}  // namespace

TEST_CASE("HTML: the counts, the filter controls and each case in plan order") {
  HtmlReporter html("/dev/null");
  html.run_started({{"passing", "failing", "eval-error", "later"}, "2024-05-01T12:00:00Z"});
  html.case_finished(make_case("later", Status::Skip, 0ms, "needs network"));
  auto eval_error = make_case("eval-error", Status::Error, 2100ms, "evaluation failed");
  eval_error.nix_error = "error: attribute 'enable' missing\n";
  html.case_finished(eval_error);
  html.case_finished(failing_case());
  html.case_finished(make_case("passing", Status::Pass, 1200ms));
  const std::string page = html.render(3500ms);

  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK_THAT(page, Contains(R"(<span id="count-total">4</span>)"));
  CHECK_THAT(page, Contains(R"(<span id="count-pass">1</span>)"));
  CHECK_THAT(page, Contains(R"(<span id="count-fail">2</span>)"));
  CHECK_THAT(page, Contains(R"(<span id="count-skip">1</span>)"));
  CHECK_THAT(page, Contains("started 2024-05-01T12:00:00Z, took 3.5s"));
  CHECK_THAT(page, Contains(R"(<select id="status-filter">)"));
  CHECK_THAT(page, Contains(R"(<input id="name-filter")"));
  const auto passing = page.find(R"(data-name="passing")");
  const auto failing = page.find(R"(data-name="failing")");
  const auto eval = page.find(R"(data-name="eval-error")");
  const auto later = page.find(R"(data-name="later")");
  CHECK(passing < failing);
  CHECK(failing < eval);
  CHECK(eval < later);
  // Nix's error is shown; a failed case opens, a passing one does not.
  CHECK_THAT(page, Contains(R"(<pre class="nix-error">error: attribute 'enable' missing)"));
  CHECK_THAT(page, Contains(R"(data-status="error" data-failed="true" data-name="eval-error" open>)"));
  CHECK_THAT(page, Contains(R"(data-status="pass" data-failed="false" data-name="passing">)"));
}

TEST_CASE("HTML: a failing case shows where to look, its failed assertions and a coloured diff") {
  HtmlReporter html("/dev/null");
  html.run_started({{"failing"}, ""});
  html.case_finished(failing_case());
  const std::string page = html.render(340ms);

  CHECK_THAT(page, Contains(R"(<dd class="case-file">tests/failing.nix:12</dd>)"));
  CHECK_THAT(page, Contains(R"(<dd class="tested">/nix/store/aaaa-home-manager-generation</dd>)"));
  CHECK_THAT(page, Contains(R"(<dd class="rerun">hmt --no-default-cases --cases /src -- failing</dd>)"));
  CHECK_THAT(page, Contains("<dd>2 (1 failed)</dd>"));
  CHECK_THAT(page, Contains("<h3>line 2: assertFileContent home-files/app.conf ./expected.conf</h3>"));
  CHECK_THAT(page, Contains(R"(<span class="diff-del">-a = 1</span><span class="diff-add">+a = 2</span>)"));
  CHECK_THAT(page, Contains(R"(<span class="diff-hunk">@@ -1 +1 @@</span>)"));
  CHECK_THAT(page, Contains(R"(<span class="diff-file">--- ./expected.conf</span>)"));
  CHECK_THAT(page, Contains(R"(<pre class="expected">a = 1)"));
  CHECK_THAT(page, Contains(R"(<pre class="actual">a = 2)"));
  CHECK_THAT(page, Contains("<span class=\"time\">340ms</span>"));
  // Passed assertions are counted, not listed.
  CHECK(page.find("assertFileExists home-files/ok") == std::string::npos);
}

TEST_CASE("HTML: markup and bytes from names and files are escaped") {
  HtmlReporter html("/dev/null");
  html.run_started({{}, ""});
  auto c = make_case("<script>alert(1)</script> \"q\" \xff", Status::Fail, 1ms, "bad <b>");
  c.assertions.push_back(failed_assertion("assertFileContains", {"f", "</pre><img src=x>"}, 1, "no & match"));
  html.case_finished(c);
  const std::string page = html.render(1ms);

  CHECK(page.find("<script>alert") == std::string::npos);
  CHECK(page.find("<img") == std::string::npos);
  CHECK_THAT(page, Contains(R"(data-name="&lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot; \xFF")"));
  CHECK_THAT(page, Contains("&lt;/pre&gt;&lt;img src=x&gt;"));
  CHECK_THAT(page, Contains("no &amp; match"));
  CHECK_THAT(page, Contains("bad &lt;b&gt;"));
}

TEST_CASE("HTML: the page is self-contained") {
  HtmlReporter html("/dev/null");
  html.run_started({{"a"}, ""});
  html.case_finished(make_case("a", Status::Pass, 1ms));
  const std::string page = html.render(1ms);
  CHECK(page.find("http://") == std::string::npos);
  CHECK(page.find("https://") == std::string::npos);
  CHECK(page.find("<link") == std::string::npos);
  CHECK(page.find(" src=") == std::string::npos);
  CHECK_THAT(page, Contains("<style>"));
  CHECK_THAT(page, Contains("<script>"));
}

TEST_CASE("HTML: a bail out is shown with what ran") {
  HtmlReporter html("/dev/null");
  html.run_started({{"a", "b"}, ""});
  html.case_finished(make_case("a", Status::Pass, 1500ms));
  html.bail_out("nix not found");
  const std::string page = html.render(1500ms);
  CHECK_THAT(page, Contains(R"(<p class="bail">Bail out! nix not found</p>)"));
  CHECK_THAT(page, Contains(R"(<span id="count-total">1</span>)"));
  CHECK_FALSE(html.write_failure());
}

TEST_CASE("HTML: an unwritable report is a write failure") {
  HtmlReporter html("/nonexistent-hmt-dir/report.html");
  html.run_started({{}, ""});
  html.run_finished(summary_of(1ms));
  CHECK(html.write_failure() ==
        "cannot write the HTML report /nonexistent-hmt-dir/report.html: No such file or directory");
}

TEST_CASE("HTML: a cached verdict is marked, counted and can be filtered for") {
  HtmlReporter html("/dev/null");
  html.run_started({{"cached", "fresh"}, ""});
  auto cached = make_case("cached", Status::Pass, 0ms);
  cached.cached = true;
  html.case_finished(cached);
  html.case_finished(make_case("fresh", Status::Pass, 20ms));
  const std::string page = html.render(20ms);
  CHECK_THAT(page, Contains(R"(data-name="cached" data-cached="true">)"));
  CHECK_THAT(page, Contains(R"(data-name="fresh">)"));
  CHECK_THAT(page, Contains(R"(<span class="time">cached</span>)"));
  CHECK_THAT(page, Contains(R"(<span id="count-cached">1</span>)"));
  CHECK_THAT(page, Contains(R"(<option value="cached">cached</option>)"));
}
