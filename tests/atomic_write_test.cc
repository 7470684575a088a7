#include "harness/cache/atomic_write.h"

#include <fstream>
#include <sstream>

#include "tests/catch.h"
#include "tests/temp_dir.h"

using namespace hmt;
using hmt::testing::TempDir;
namespace fs = std::filesystem;

TEST_CASE("write_atomically replaces the file whole, making its folders, and leaves no temporary file") {
  TempDir dir;
  const fs::path target = dir.path() / "a/b/file";
  REQUIRE_FALSE(write_atomically(target, "first"));
  REQUIRE_FALSE(write_atomically(target, "second"));
  std::ifstream in(target);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == "second");
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(target.parent_path())) ++entries;
  CHECK(entries == 1);
}

TEST_CASE("write_atomically says why when the folder cannot be made") {
  TempDir dir;
  std::ofstream(dir.path() / "plain") << "x";
  const auto why = write_atomically(dir.path() / "plain/file", "text");
  REQUIRE(why);
  CHECK_FALSE(why->empty());
}
