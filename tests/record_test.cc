#include "harness/cache/record.h"

#include <filesystem>

#include "tests/catch.h"
#include "tests/temp_dir.h"

using namespace hmt;
using hmt::testing::TempDir;

namespace {

Record sample() {
  Record record;
  record.snapshots[3] = Snapshot{"base-1", {{"/hm/modules/programs/git.nix", "fabc"}, {"/cases/a.nix", "f123"}}};
  CaseRecord git;
  git.recorded = true;
  git.complete = true;
  git.files = {"/hm/modules/programs/git.nix", "/hm/tests/modules/programs/git/basic.nix"};
  git.folder = "/hm/tests/modules/programs/git";
  git.snapshot = 3;
  git.status = Status::Fail;
  git.evaluation_ms = 900;
  git.check_ms = 12;
  record.cases["git-basic"] = git;
  CaseRecord unknown;
  record.cases["never-recorded"] = unknown;
  record.modules = {"/hm/modules/programs/git.nix"};
  return record;
}

}  // namespace

TEST_CASE("a record comes back as it was saved") {
  TempDir dir;
  const auto file = dir.path() / "records" / "r.json";
  std::string problem;
  REQUIRE(save_record(file, sample(), &problem));
  auto back = load_record(file, &problem);
  REQUIRE(back);
  CHECK(problem.empty());
  REQUIRE(back->snapshots.count(3));
  CHECK(back->snapshots[3].base == "base-1");
  CHECK(back->snapshots[3].files == sample().snapshots[3].files);
  const CaseRecord& git = back->cases.at("git-basic");
  CHECK(git.recorded);
  CHECK(git.complete);
  CHECK(git.files == sample().cases["git-basic"].files);
  CHECK(git.folder == "/hm/tests/modules/programs/git");
  CHECK(git.snapshot == 3);
  CHECK(git.status == Status::Fail);
  CHECK(git.evaluation_ms == 900);
  CHECK(git.check_ms == 12);
  const CaseRecord& never = back->cases.at("never-recorded");
  CHECK_FALSE(never.recorded);
  CHECK_FALSE(never.status);
  CHECK(never.evaluation_ms == -1);
  CHECK(back->modules == sample().modules);
}

TEST_CASE("no record file is no record and no problem") {
  TempDir dir;
  std::string problem;
  CHECK_FALSE(load_record(dir.path() / "none.json", &problem));
  CHECK(problem.empty());
}

TEST_CASE("a damaged record is no record, and says which file and why") {
  TempDir dir;
  std::string problem;
  SECTION("not JSON") {
    const auto file = dir.write("r.json", "{\"format\": 2, \"paths\": [");
    CHECK_FALSE(load_record(file, &problem));
    CHECK(problem == file.string() + " is not JSON (a damaged cache file)");
  }
  SECTION("a path index out of range") {
    const auto file = dir.write("r.json", R"({"format": 2, "paths": [], "snapshots": [],
      "cases": {"a": {"files": [7]}}, "modules": []})");
    CHECK_FALSE(load_record(file, &problem));
    CHECK(problem.find("another shape") != std::string::npos);
  }
  SECTION("another format is not a problem") {
    const auto file = dir.write("r.json", R"({"format": 1})");
    CHECK_FALSE(load_record(file, &problem));
    CHECK(problem.empty());
  }
}

TEST_CASE("a record that cannot be written says why") {
  TempDir dir;
  dir.write("records", "a file where the folder should be");
  std::string problem;
  CHECK_FALSE(save_record(dir.path() / "records" / "r.json", sample(), &problem));
  CHECK(problem.rfind("cannot write " + (dir.path() / "records" / "r.json").string() + ": ", 0) == 0);
}
