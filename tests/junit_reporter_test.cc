#include "harness/report/junit_reporter.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "tests/catch.h"

#include "result_builders.h"

namespace {

namespace fs = std::filesystem;
using hmt::AssertionResult;
using hmt::CaseResult;
using hmt::Status;
using namespace std::chrono_literals;
using hmt::testing::make_case;
using hmt::testing::failed_assertion;

struct TempReport {
  fs::path path = fs::temp_directory_path() /
                  ("hmt-junit-test-" + std::to_string(::getpid()) + "-" +
                   std::to_string(reinterpret_cast<std::uintptr_t>(this)) + ".xml");
  ~TempReport() {
    std::error_code ignored;
    fs::remove(path, ignored);
  }
  std::string read() const {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

hmt::RunSummary summary_of(std::chrono::milliseconds duration) {
  hmt::RunSummary s;
  s.duration = duration;
  return s;
}

}  // namespace

TEST_CASE("JUnit: one suite, cases in plan order, failures, errors and skips") {
  TempReport report;
  hmt::JunitReporter junit(report.path.string());
  junit.run_started({{"passing", "failing", "eval-error", "hangs", "later"}, "2024-05-01T12:00:00"});

  auto failing = make_case("failing", Status::Fail, 340ms);
  auto content = failed_assertion("assertFileContent", {"home-files/app.conf", "./expected.conf"}, 2,
                                  "home-files/app.conf differs from ./expected.conf");
  content.expected = "a = 1\n";
  content.actual = "a = 2\n";
  content.diff = "--- ./expected.conf\n+++ home-files/app.conf\n-a = 1\n+a = 2\n";
  failing.assertions.push_back(content);
  failing.assertions.push_back(
      failed_assertion("assertFileExists", {"home-files/x"}, 3, "home-files/x does not exist"));
  failing.output = "from the script\n";
  failing.line = 9;
  failing.tested = "/nix/store/aaaa-tested";
  failing.rerun = "hmt -- failing";

  auto eval_error = make_case("eval-error", Status::Error, 2100ms, "evaluation failed");
  eval_error.nix_error = "error: attribute 'enable' missing\n       at case.nix:3:5:\n";

  // Finished out of plan order, as a parallel run would.
  junit.case_finished(make_case("later", Status::Skip, 0ms, "needs network"));
  junit.case_finished(eval_error);
  junit.case_finished(make_case("hangs", Status::Timeout, 30000ms, "timed out after 30s"));
  junit.case_finished(failing);
  junit.case_finished(make_case("passing", Status::Pass, 1200ms));
  junit.run_finished(summary_of(31500ms));

  CHECK(report.read() ==
        R"(<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="5" failures="1" errors="2" skipped="1" time="31.500">
  <testsuite name="hmt" tests="5" failures="1" errors="2" skipped="1" time="31.500" timestamp="2024-05-01T12:00:00">
    <testcase classname="hmt" name="passing" time="1.200" file="tests/passing.nix"/>
    <testcase classname="hmt" name="failing" time="0.340" file="tests/failing.nix" line="9">
      <failure message="2 of 2 assertions failed" type="FAIL">case: tests/failing.nix:9
tested: /nix/store/aaaa-tested
rerun: hmt -- failing

line 2: assertFileContent home-files/app.conf ./expected.conf
  home-files/app.conf differs from ./expected.conf
  file: home-files/app.conf
  expected:
    a = 1
  actual:
    a = 2
  diff:
    --- ./expected.conf
    +++ home-files/app.conf
    -a = 1
    +a = 2

line 3: assertFileExists home-files/x
  home-files/x does not exist
  file: home-files/x
</failure>
      <system-out>from the script
</system-out>
    </testcase>
    <testcase classname="hmt" name="eval-error" time="2.100" file="tests/eval-error.nix">
      <error message="evaluation failed" type="ERROR">case: tests/eval-error.nix

error: attribute 'enable' missing
       at case.nix:3:5:
</error>
    </testcase>
    <testcase classname="hmt" name="hangs" time="30.000" file="tests/hangs.nix">
      <error message="timed out after 30s" type="TIMEOUT">case: tests/hangs.nix

</error>
    </testcase>
    <testcase classname="hmt" name="later" time="0.000" file="tests/later.nix">
      <skipped message="needs network"/>
    </testcase>
  </testsuite>
</testsuites>
)");
}

TEST_CASE("JUnit: markup is escaped and characters XML forbids are dropped") {
  TempReport report;
  hmt::JunitReporter junit(report.path.string());
  junit.run_started({{}, ""});
  auto c = make_case("a \"q\" <&> 'x' ünï ✓", Status::Error, 1ms, "line1\nline2\ttab\r<&>\"");
  c.nix_error = "esc\x1b[31m red\x1b[0m nul\x01 cr\r\n <b>&amp;</b> \"q\" bad\xff byte";
  junit.case_finished(c);
  junit.run_finished(summary_of(1ms));

  const std::string xml = report.read();
  CHECK_THAT(xml, hmt::testing::Contains(
                      R"(<testcase classname="hmt" name="a &quot;q&quot; &lt;&amp;&gt; 'x' ünï ✓" time="0.001" )"
                      R"(file="tests/a &quot;q&quot; &lt;&amp;&gt; 'x' ünï ✓.nix">)"));
  CHECK_THAT(xml, hmt::testing::Contains(
                      R"(<error message="line1&#10;line2&#9;tab&#13;&lt;&amp;&gt;&quot;" type="ERROR">)"
                      "case: tests/a \"q\" &lt;&amp;&gt; 'x' ünï ✓.nix\n\n"
                      "esc[31m red[0m nul cr&#13;\n &lt;b&gt;&amp;amp;&lt;/b&gt; \"q\" bad\\xFF byte\n"
                      "</error>"));
  // No timestamp attribute without a start time.
  CHECK_THAT(xml, hmt::testing::Contains(R"(time="0.001">)" "\n    <testcase"));
}

TEST_CASE("JUnit: a bail out writes what ran so far and says why") {
  TempReport report;
  hmt::JunitReporter junit(report.path.string());
  junit.run_started({{"a", "b"}, "2024-05-01T12:00:00"});
  junit.case_finished(make_case("a", Status::Pass, 1500ms));
  junit.bail_out("nix not found <in PATH>");
  CHECK(report.read() ==
        R"(<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="1" failures="0" errors="0" skipped="0" time="1.500">
  <testsuite name="hmt" tests="1" failures="0" errors="0" skipped="0" time="1.500" timestamp="2024-05-01T12:00:00">
    <testcase classname="hmt" name="a" time="1.500" file="tests/a.nix"/>
    <system-err>Bail out! nix not found &lt;in PATH&gt;</system-err>
  </testsuite>
</testsuites>
)");
}

TEST_CASE("JUnit: an unwritable report is a write failure, not thrown") {
  hmt::JunitReporter junit("/nonexistent-hmt-dir/report.xml");
  junit.run_started({{"a"}, ""});
  junit.case_finished(make_case("a", Status::Pass, 1ms));
  CHECK_FALSE(junit.write_failure());
  REQUIRE_NOTHROW(junit.bail_out("stop"));
  REQUIRE_NOTHROW(junit.run_finished(summary_of(1ms)));
  CHECK(junit.write_failure() ==
        "cannot write the JUnit report /nonexistent-hmt-dir/report.xml: No such file or directory");
}

TEST_CASE("JUnit: a full disk is a write failure") {
  hmt::JunitReporter junit("/dev/full");
  junit.run_started({{"a"}, ""});
  junit.case_finished(make_case("a", Status::Pass, 1ms));
  junit.run_finished(summary_of(1ms));
  CHECK(junit.write_failure() == "cannot write the JUnit report /dev/full: No space left on device");
}

TEST_CASE("JUnit: a cached verdict carries a cached property, others none") {
  TempReport report;
  hmt::JunitReporter junit(report.path.string());
  junit.run_started({{"cached", "fresh"}, ""});
  auto cached = make_case("cached", Status::Fail, 0ms, "1 of 1 assertions failed");
  cached.cached = true;
  junit.case_finished(cached);
  junit.case_finished(make_case("fresh", Status::Pass, 5ms));
  junit.run_finished(summary_of(5ms));
  const std::string xml = report.read();
  CHECK(xml.find("<testcase classname=\"hmt\" name=\"cached\" time=\"0.000\" file=\"tests/cached.nix\">\n"
                 "      <properties><property name=\"cached\" value=\"true\"/></properties>\n"
                 "      <failure") != std::string::npos);
  CHECK(xml.find("name=\"fresh\" time=\"0.005\" file=\"tests/fresh.nix\"/>") != std::string::npos);
  CHECK(xml.find("property") == xml.rfind("property name"));
}
