#include "harness/report/jsonl_reporter.h"

#include <sstream>

#include "tests/catch.h"
#include <nlohmann/json.hpp>

#include "result_builders.h"

using namespace hmt;
using namespace hmt::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::vector<json> lines_of(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
  return out;
}

}  // namespace

TEST_CASE("jsonl writes one versioned object per event, assertions before their case") {
  std::ostringstream out;
  JsonlReporter r(out);
  r.run_started({{"good", "bad"}, "2026-12-01T10:00:00Z"});
  r.case_started("bad");
  auto bad = make_case("bad", Status::Fail, 1500ms);
  bad.tested = "/nix/store/abc-tested";
  bad.rerun = "hmt bad";
  bad.line = 7;
  auto a = failed_assertion("assertFileContent", {"home-files/a", "/nix/store/x-expected"}, 3, "differs");
  a.case_line = 12;
  a.diff = "--- expected\n+++ actual\n-x\n+y\n";
  bad.assertions = {assertion("assertFileExists", {"home-files/a"}, 2, Status::Pass, "ok"), a};
  r.case_finished(bad);
  r.bail_out("stopped");
  RunSummary s;
  s.failed = 1;
  s.duration = 2000ms;
  r.run_finished(s);

  const auto events = lines_of(out.str());
  REQUIRE(events.size() == 7);
  for (const auto& e : events) CHECK(e["schema"] == 1);
  CHECK(events[0]["event"] == "run_started");
  CHECK(events[0]["cases"] == json::array({"good", "bad"}));
  CHECK(events[0]["started_at"] == "2026-12-01T10:00:00Z");
  CHECK(events[1] == json{{"schema", 1}, {"event", "case_started"}, {"case", "bad"}});
  CHECK(events[2]["event"] == "assertion");
  CHECK(events[2]["status"] == "PASS");
  CHECK_FALSE(events[2].contains("diff"));
  CHECK(events[3]["assertion"] == "assertFileContent");
  CHECK(events[3]["status"] == "FAIL");
  CHECK(events[3]["script_line"] == 3);
  CHECK(events[3]["case_line"] == 12);
  CHECK(events[3]["diff"] == "--- expected\n+++ actual\n-x\n+y\n");
  CHECK(events[4]["event"] == "case_finished");
  CHECK(events[4]["duration_ms"] == 1500);
  CHECK(events[4]["failed_assertions"] == 1);
  CHECK(events[4]["message"] == "1 of 2 assertions failed");
  CHECK(events[4]["tested"] == "/nix/store/abc-tested");
  CHECK(events[4]["rerun"] == "hmt bad");
  CHECK(events[4]["line"] == 7);
  CHECK(events[5] == json{{"schema", 1}, {"event", "bail_out"}, {"reason", "stopped"}});
  CHECK(events[6]["event"] == "run_finished");
  CHECK(events[6]["failed"] == 1);
  CHECK(events[6]["duration_ms"] == 2000);
}

TEST_CASE("jsonl keeps lines valid JSON whatever bytes the results hold") {
  std::ostringstream out;
  JsonlReporter r(out);
  auto c = make_case("odd", Status::Error, 1ms, "broken \xff byte\nsecond line");
  c.nix_error = "error:\n  \x01 control";
  r.case_finished(c);
  const auto events = lines_of(out.str());
  REQUIRE(events.size() == 1);
  CHECK(events[0]["reason"] == "broken \\xFF byte\nsecond line");
  CHECK(events[0]["nix_error"] == "error:\n  \x01 control");
}

TEST_CASE("jsonl marks a cached verdict and counts them, others have no cached field") {
  std::ostringstream out;
  JsonlReporter r(out);
  auto cached = make_case("cached", Status::Pass, 0ms);
  cached.cached = true;
  r.case_finished(cached);
  r.case_finished(make_case("fresh", Status::Pass, 10ms));
  RunSummary s;
  s.passed = 2;
  s.cached = 1;
  r.run_finished(s);
  const auto events = lines_of(out.str());
  REQUIRE(events.size() == 3);
  CHECK(events[0]["cached"] == true);
  CHECK_FALSE(events[1].contains("cached"));
  CHECK(events[2]["cached"] == 1);
}
