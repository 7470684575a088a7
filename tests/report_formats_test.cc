#include "harness/report/report_formats.h"

#include <sstream>

#include "tests/catch.h"

using namespace hmt;

TEST_CASE("every --format name makes a reporter that writes to the given stream") {
  for (const auto& format : report_formats()) {
    std::ostringstream out;
    ReportContext context{out};
    auto reporter = format.make(context);
    REQUIRE(reporter);
    reporter->run_started({{"a"}, ""});
    reporter->run_finished({});
    CHECK_FALSE(out.str().empty());
  }
}

TEST_CASE("formats are found by name, unknown names are not") {
  CHECK(find_report_format("tap") != nullptr);
  CHECK(find_report_format("console") != nullptr);
  CHECK(find_report_format("jsonl") != nullptr);
  CHECK(find_report_format("xml") == nullptr);
  CHECK(report_format_names() == "tap, console or jsonl");
}

TEST_CASE("the tap row honours the TAP version of the context") {
  std::ostringstream out;
  ReportContext context{out};
  context.tap_version = 14;
  find_report_format("tap")->make(context)->run_started({{"a"}, ""});
  CHECK(out.str().rfind("TAP version 14\n", 0) == 0);
}
