#include "harness/cache/verdict_store.h"

#include <filesystem>

#include "tests/catch.h"
#include "tests/result_builders.h"
#include "tests/temp_dir.h"

using namespace hmt;
using hmt::testing::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kKey = "0123456789abcdef0123456789abcdef01234567";

StoredVerdict failing_verdict() {
  StoredVerdict verdict;
  CaseResult result;
  result.name = "git";
  result.file = "/src/tests/git.nix";
  result.status = Status::Fail;
  result.reason = "1 of 2 assertions failed";
  result.assertions.push_back(hmt::testing::content_mismatch());
  result.warnings = {"warning: old option"};
  verdict.result = result;
  verdict.manifest = ManifestPaths{"/nix/store/a-manifest.drv", "/nix/store/b-manifest"};
  verdict.inputs = {{"/src/expected.conf", "fabc"}};
  verdict.evaluation_ms = 1200;
  verdict.check_ms = 30;
  return verdict;
}

}  // namespace

TEST_CASE("a stored verdict comes back as it was, under its key only") {
  TempDir dir;
  VerdictStore store(dir.path() / "verdicts");
  CHECK_FALSE(store.lookup(kKey));
  std::string problem;
  REQUIRE(store.store(kKey, failing_verdict(), &problem));
  CHECK(problem.empty());
  CHECK(store.path_of(kKey) == dir.path() / "verdicts" / "01" / (kKey + ".json"));
  auto back = store.lookup(kKey, &problem);
  REQUIRE(back);
  CHECK(problem.empty());
  REQUIRE(back->result);
  CHECK(back->result->status == Status::Fail);
  CHECK(back->result->reason == "1 of 2 assertions failed");
  REQUIRE(back->result->assertions.size() == 1);
  CHECK(back->result->assertions[0].diff == failing_verdict().result->assertions[0].diff);
  CHECK(back->result->warnings == std::vector<std::string>{"warning: old option"});
  CHECK(back->manifest->drv == "/nix/store/a-manifest.drv");
  CHECK(back->inputs == failing_verdict().inputs);
  CHECK(back->evaluation_ms == 1200);
  const std::string other = "f" + kKey.substr(1);
  CHECK_FALSE(store.lookup(other));
}

TEST_CASE("bytes that are not UTF-8 survive the store") {
  TempDir dir;
  VerdictStore store(dir.path());
  StoredVerdict verdict = failing_verdict();
  verdict.result->reason = "caf\xe9";
  REQUIRE(store.store(kKey, verdict));
  CHECK(store.lookup(kKey)->result->reason == "caf\xe9");
}

TEST_CASE("a damaged verdict file is no verdict, and says which file and why") {
  TempDir dir;
  VerdictStore store(dir.path());
  REQUIRE(store.store(kKey, failing_verdict()));
  std::string problem;
  SECTION("cut short") {
    dir.write(store.path_of(kKey).lexically_relative(dir.path()), "{\"format\": 1, \"key\": ");
    CHECK_FALSE(store.lookup(kKey, &problem));
    CHECK(problem == store.path_of(kKey).string() + " is not JSON (a damaged cache file)");
  }
  SECTION("a field of the wrong type") {
    dir.write(store.path_of(kKey).lexically_relative(dir.path()),
              "{\"format\": 1, \"key\": \"" + kKey + "\", \"result\": {\"assertions\": 5}}");
    CHECK_FALSE(store.lookup(kKey, &problem));
    CHECK(problem.find("wrong type") != std::string::npos);
  }
  SECTION("another key's verdict") {
    dir.write(store.path_of(kKey).lexically_relative(dir.path()), "{\"format\": 1, \"key\": \"abc\"}");
    CHECK_FALSE(store.lookup(kKey, &problem));
    CHECK(problem.find("another key") != std::string::npos);
  }
  SECTION("another format is not ours to read, and no problem") {
    dir.write(store.path_of(kKey).lexically_relative(dir.path()), "{\"format\": 99}");
    CHECK_FALSE(store.lookup(kKey, &problem));
    CHECK(problem.empty());
  }
}

// (A read-only folder would do too, but not for root, who runs CI here.)
TEST_CASE("a verdict that cannot be written says why: its folder is a file") {
  TempDir dir;
  dir.write("verdicts", "a file where the folder should be");
  VerdictStore store(dir.path() / "verdicts");
  std::string problem;
  CHECK_FALSE(store.store(kKey, failing_verdict(), &problem));
  CHECK(problem.rfind("cannot write ", 0) == 0);
  CHECK_FALSE(store.lookup(kKey));
}
