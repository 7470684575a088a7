// End-to-end runs of the reliability fixtures (tests/fixtures/robust):
// links out of the tested tree, and bytes that are not UTF-8.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

#include "tests/catch.h"

#include "process/process.h"
#include "tests/e2e_support.h"

namespace {

using hmt::ProcessResult;

ProcessResult run_robust_cases(const std::vector<std::string>& args) { return hmt::e2e::run_fixture("robust", args); }

}  // namespace

TEST_CASE("assertions through links to /etc and / are refused, naming the link") {
  const ProcessResult r = run_robust_cases({"--tap-version", "14", "links-out"});
  INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
  REQUIRE(r.outcome == ProcessResult::Outcome::Exited);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("    ok 1 - assertFileExists home-files/inside\n") != std::string::npos);
  CHECK(r.out.find("    not ok 2 - assertFileExists home-files/etc/passwd\n") != std::string::npos);
  CHECK(r.out.find("the link 'home-files/etc' points to '/etc'") != std::string::npos);
  CHECK(r.out.find("    not ok 3 - assertFileContains home-files/root/etc/hostname x\n") != std::string::npos);
  CHECK(r.out.find("the link 'home-files/root' points to '/'") != std::string::npos);
  // The link itself can still be checked.
  CHECK(r.out.find("    ok 4 - assertLinkPointsTo home-files/etc /etc\n") != std::string::npos);
}

TEST_CASE("a case name and a script with bytes that are not UTF-8 run, shown escaped") {
  const auto junit = std::filesystem::temp_directory_path() / "hmt-e2e-bytes-junit.xml";
  const ProcessResult r = run_robust_cases({"--junit", junit.string()});
  INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
  REQUIRE(r.outcome == ProcessResult::Outcome::Exited);
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("TAP version 13\n1..2\n", 0) == 0);
  // The Latin-1 byte matched as bash's grep would: one assertion passes,
  // the other fails, and the report shows the bytes escaped.
  // Points are numbered in completion order.
  CHECK(std::regex_search(r.out, std::regex("\nnot ok [12] - bytes-\\\\\\\\xFF\\\\\\\\xFE\n")));
  CHECK(r.out.find("message: \"1 of 2 assertions failed\"") != std::string::npos);
  CHECK(r.out.find("expected: \"th\\\\xE9\"") != std::string::npos);
  CHECK(r.out.find('\xFF') == std::string::npos);
  const std::string xml = hmt::e2e::read_file(junit);
  std::filesystem::remove(junit);
  CHECK(xml.find("name=\"bytes-\\xFF\\xFE\"") != std::string::npos);
  CHECK(xml.find('\xE9') == std::string::npos);
}
