#include "process/temporary_folder.h"

#include <unistd.h>

#include <fstream>

#include "tests/catch.h"

namespace fs = std::filesystem;
using hmt::TemporaryFolder;

namespace {

// A parent folder of the test's own, removed however the test ends.
struct Parent {
  fs::path path = fs::temp_directory_path() / ("hmt-temporary-folder-test-" + std::to_string(::getpid()));
  Parent() { fs::create_directories(path); }
  ~Parent() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("a temporary folder is made under its parent with its prefix and removed with its contents") {
  Parent parent;
  fs::path made;
  {
    auto folder = TemporaryFolder::create("hmt-x-", parent.path);
    REQUIRE(folder);
    made = folder->path();
    CHECK(made.parent_path() == parent.path);
    CHECK(made.filename().string().rfind("hmt-x-", 0) == 0);
    CHECK(fs::is_directory(made));
    fs::create_directories(made / "a" / "b");
    std::ofstream(made / "a" / "b" / "file") << "content";
  }
  CHECK_FALSE(fs::exists(made));
  CHECK(fs::is_empty(parent.path));
}

TEST_CASE("a moved temporary folder is removed once, by its new owner") {
  Parent parent;
  auto first = TemporaryFolder::create("hmt-x-", parent.path);
  REQUIRE(first);
  const fs::path made = first->path();
  {
    TemporaryFolder owner = std::move(first).value();
    CHECK(owner.path() == made);
    CHECK(fs::is_directory(made));
  }
  CHECK_FALSE(fs::exists(made));
}

TEST_CASE("a temporary folder that cannot be made is an error naming the parent") {
  auto folder = TemporaryFolder::create("hmt-x-", "/nonexistent-hmt-parent");
  REQUIRE_FALSE(folder);
  CHECK(folder.error().find("/nonexistent-hmt-parent") != std::string::npos);
  CHECK(folder.error().find("No such file or directory") != std::string::npos);
}

TEST_CASE("without a parent, a temporary folder goes to TMPDIR") {
  Parent parent;
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  ::setenv("TMPDIR", parent.path.c_str(), 1);
  auto folder = TemporaryFolder::create("hmt-x-");
  if (old) ::setenv("TMPDIR", saved.c_str(), 1); else ::unsetenv("TMPDIR");
  REQUIRE(folder);
  CHECK(folder->path().parent_path() == parent.path);
}
