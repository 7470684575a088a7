#include "harness/report_common.h"

#include <catch2/catch.hpp>

#include "result_builders.h"

using namespace hmt;
using namespace hmt::testing;
using namespace std::chrono_literals;

TEST_CASE("fail, error and timeout are failures; pass and skip are not") {
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
