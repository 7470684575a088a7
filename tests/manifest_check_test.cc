#include "harness/pipeline/manifest_check.h"

#include <fstream>

#include "tests/catch.h"
#include "tests/fake_process_runner.h"
#include "tests/temp_dir.h"

using namespace hmt;
namespace fs = std::filesystem;

namespace {

// Scripts in hmt's own subset run without a process.
testing::FakeProcessRunner no_processes() {
  return testing::FakeProcessRunner([](const ProcessSpec&) { return testing::exited(127); });
}

}  // namespace

TEST_CASE("a manifest whose tested tree is gone is an error naming it") {
  auto processes = no_processes();
  Manifest m;
  m.name = "gone";
  m.tested = "/nonexistent/hmt-tree";
  m.script = "assertFileExists x";
  CaseResult r = check_manifest(m, "", CheckOptions{}, processes);
  CHECK(r.status == Status::Error);
  CHECK(r.reason.find("/nonexistent/hmt-tree") != std::string::npos);
}

TEST_CASE("a failing assertFileContent whose source cannot be updated makes the case an error, noting why") {
  testing::TempDir dir;
  fs::create_directories(dir.path() / "tree/home-files");
  std::ofstream(dir.path() / "tree/home-files/app.conf") << "new\n";
  std::ofstream(dir.path() / "expected.conf") << "old\n";
  fs::create_directories(dir.path() / "case");
  auto processes = no_processes();
  Manifest m;
  m.name = "golden";
  m.tested = dir.path() / "tree";
  m.script = "assertFileContent home-files/app.conf " + (dir.path() / "expected.conf").string() + "\n";
  CheckOptions options;
  options.update_golden = true;
  CaseResult r = check_manifest(m, dir.path() / "case", options, processes);
  CHECK(r.status == Status::Error);
  CHECK(r.reason == "1 of 1 assertions failed; --update-golden did not update 1 expected file");
  REQUIRE(r.golden.size() == 1);
  CHECK_FALSE(r.golden[0].updated);
  CHECK(r.golden[0].expected == (dir.path() / "expected.conf").string());
  CHECK(r.golden[0].message.rfind("not updated: no file named 'expected.conf'", 0) == 0);
}
