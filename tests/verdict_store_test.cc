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

TEST_CASE("verdicts unused for longer than the limit are removed, at most once a day, and a read marks one used") {
  TempDir dir;
  VerdictStore store(dir.path() / "verdicts");
  const std::string old_key = "aa" + kKey.substr(2), read_key = "bb" + kKey.substr(2), new_key = "cc" + kKey.substr(2);
  for (const auto& key : {old_key, read_key, new_key}) REQUIRE(store.store(key, failing_verdict()));
  const auto now = fs::file_time_type::clock::now();
  const auto long_ago = now - std::chrono::hours(24 * 40);
  for (const auto& key : {old_key, read_key}) fs::last_write_time(store.path_of(key), long_ago);
  const fs::path left_by_a_crash = dir.write("verdicts/aa/.tmp-123", "half a verdict");
  fs::last_write_time(left_by_a_crash, long_ago);

  REQUIRE(store.lookup(read_key));  // used now
  CHECK(store.evict_unused(std::chrono::hours(24 * 30), now) == 2);
  CHECK_FALSE(store.lookup(old_key));
  CHECK_FALSE(fs::exists(left_by_a_crash));
  CHECK(store.lookup(read_key));
  CHECK(store.lookup(new_key));

  // Within a day of the last eviction, nothing is looked at.
  fs::last_write_time(store.path_of(new_key), long_ago);
  CHECK(store.evict_unused(std::chrono::hours(24 * 30), now + std::chrono::hours(1)) == 0);
  CHECK(store.evict_unused(std::chrono::hours(24 * 30), now + std::chrono::hours(25)) == 1);
}

TEST_CASE("evicting from a store that has no folder yet removes nothing and makes nothing") {
  TempDir dir;
  VerdictStore store(dir.path() / "verdicts");
  CHECK(store.evict_unused(std::chrono::hours(1), fs::file_time_type::clock::now()) == 0);
  CHECK_FALSE(fs::exists(dir.path() / "verdicts"));
}
