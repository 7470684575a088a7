// End-to-end runs of the reliability fixtures (tests/fixtures/robust):
// links out of the tested tree, and bytes that are not UTF-8.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "process/process.h"
#include "tests/e2e_support.h"

namespace {

using hmt::ProcessResult;

ProcessResult run_robust_cases(std::vector<std::string> args) {
  return hmt::e2e::run_fixture("robust", std::move(args));
}

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
