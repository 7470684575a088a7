// End-to-end runs of the reliability fixtures (tests/fixtures/robust):
// links out of the tested tree, and bytes that are not UTF-8.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

#include "tests/catch.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "assertions/json_bytes.h"
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

TEST_CASE("driver.nix's hex forms carry a name and a script that are not UTF-8 intact, on any Nix") {
  const std::string spec = nlohmann::json{{"evaluator", hmt::e2e::kFixtures + "/evaluator.nix"},
                                          {"sources", nlohmann::json::array({hmt::e2e::kFixtures + "/robust"})}}
                               .dump();
  hmt::ProcessSpec listing;
  listing.argv = {"nix-instantiate", "--eval", "--strict", "--json", std::string(HMT_SOURCE_ROOT) + "/harness/nix/driver.nix",
                  "-A", "listHex", "--argstr", "spec", spec};
  hmt::SystemProcessRunner runner;
  const ProcessResult listed = runner.run(listing);
  INFO(listed.out << listed.err);
  REQUIRE(listed.ok());
  std::vector<std::string> names;
  const nlohmann::json sources = nlohmann::json::parse(listed.out);
  for (const auto& item : sources.at(0).at("cases"))
    names.push_back(hmt::json_bytes::from_hex(item.at("nameHex").get<std::string>()).value_or("?"));
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"bytes-\xff\xfe", "links-out"});
}
