#include "harness/report/report_common.h"

#include "tests/catch.h"

#include "result_builders.h"

using namespace hmt;
using namespace hmt::testing;
using namespace std::chrono_literals;

TEST_CASE("fail, error and timeout are failures, pass and skip are not") {
  CHECK(is_failure(Status::Fail));
  CHECK(is_failure(Status::Error));
  CHECK(is_failure(Status::Timeout));
  CHECK_FALSE(is_failure(Status::Pass));
  CHECK_FALSE(is_failure(Status::Skip));
}

TEST_CASE("a failed case's message is its reason, else the failed assertion count, else its status") {
  auto c = make_case("c", Status::Fail, 1ms);
  c.assertions = {failed_assertion("assertFileExists", {"a"}, 1, "no a"),
                  assertion("assertFileExists", {"b"}, 2, Status::Pass, "ok"),
                  assertion("assertFileExists", {"c"}, 3, Status::Error, "unreadable")};
  CHECK(failed_assertion_count(c) == 2);
  CHECK(case_message(c) == "2 of 3 assertions failed");
  CHECK(assertions_failed_text(1, 4) == "1 of 4 assertions failed");
  c.reason = "script error on line 3";
  CHECK(case_message(c) == "script error on line 3");
  CHECK(case_message(make_case("t", Status::Timeout, 1ms)) == "timed out");
  CHECK(case_message(make_case("e", Status::Error, 1ms)) == "error");
  CHECK(case_message(make_case("f", Status::Fail, 1ms)) == "failed");
}

TEST_CASE("durations read as milliseconds below a second, else as seconds") {
  CHECK(human_duration(340ms) == "340ms");
  CHECK(human_duration(2500ms) == "2.5s");
}

TEST_CASE("lines_of splits on line breaks, a final break ending the last line") {
  CHECK(lines_of("a\nb\n") == std::vector<std::string_view>{"a", "b"});
  CHECK(lines_of("a\n\nb") == std::vector<std::string_view>{"a", "", "b"});
  CHECK(lines_of("") == std::vector<std::string_view>{""});
}

TEST_CASE("diff lines are told apart by their first characters") {
  CHECK(diff_line_kind("--- a") == DiffLine::FileHeader);
  CHECK(diff_line_kind("+++ b") == DiffLine::FileHeader);
  CHECK(diff_line_kind("@@ -1 +1 @@") == DiffLine::Hunk);
  CHECK(diff_line_kind("+x") == DiffLine::Added);
  CHECK(diff_line_kind("-x") == DiffLine::Removed);
  CHECK(diff_line_kind(" x") == DiffLine::Context);
}

TEST_CASE("results come in plan order, unplanned ones last in their own order") {
  std::vector<CaseResult> results = {make_case("z", Status::Pass, 1ms), make_case("b", Status::Pass, 1ms),
                                     make_case("y", Status::Pass, 1ms), make_case("a", Status::Pass, 1ms)};
  std::vector<std::string> names;
  for (const auto* r : in_plan_order(results, {"a", "b"})) names.push_back(r->name);
  CHECK(names == std::vector<std::string>{"a", "b", "z", "y"});
}

TEST_CASE("a case's place is file:line, or the file alone when the line is unknown") {
  CHECK(file_and_line("c.nix", 7) == "c.nix:7");
  CHECK(file_and_line("c.nix", 0) == "c.nix");
  CHECK(file_and_line("", 7).empty());
}

TEST_CASE("an assertion is placed in its case file where known, else in the script") {
  hmt::AssertionResult a;
  CHECK(assertion_location(a, "/src/tests/app/basic.nix").empty());
  a.line = 3;
  CHECK(assertion_location(a, "/src/tests/app/basic.nix") == "line 3: ");
  a.case_line = 12;
  CHECK(assertion_location(a, "/src/tests/app/basic.nix") == "basic.nix:12: ");
  CHECK(assertion_location(a, "") == "line 3: ");
}
