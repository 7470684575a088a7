#include "harness/cache/file_hashes.h"

#include <filesystem>

#include "harness/cache/digest.h"
#include "tests/catch.h"
#include "tests/temp_dir.h"

using namespace hmt;
using hmt::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// A clock far after any file's mtime: nothing is racily clean.
std::int64_t late() { return std::int64_t{4'000'000'000} * 1'000'000'000; }

}  // namespace

TEST_CASE("a hash says what is at a path as well as what it holds") {
  TempDir dir;
  const auto file = dir.write("a.conf", "abc");
  fs::create_symlink("a.conf", dir.path() / "link");
  fs::create_directories(dir.path() / "sub");
  FileHashes hashes({}, late);
  CHECK(hashes.of(file) == "f" + sha1_hex("abc"));
  CHECK(hashes.of(dir.path() / "link") == "l" + sha1_hex("a.conf"));  // the link, not followed
  CHECK(hashes.of(dir.path() / "sub") == "d");
  CHECK(hashes.of(dir.path() / "missing") == "-");
  CHECK(hashes.of(dir.path() / "a.conf" / "below") == "-");
  fs::permissions(file, fs::perms::owner_exec, fs::perm_options::add);
  CHECK(hashes.of(file) == "x" + sha1_hex("abc"));  // the execute bit counts
}

std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST_CASE("a changed file hashes differently, even at the same size within the same mtime tick") {
  TempDir dir;
  const auto file = dir.write("a", "one");
  FileHashes hashes({}, now);
  const std::string before = hashes.of(file);
  dir.write("a", "two");
  CHECK(hashes.of(file) != before);
}

TEST_CASE("remembered hashes spare reading files that did not change") {
  TempDir dir;
  const auto file = dir.write("a", "one");
  const auto memory = dir.path() / "cache" / "file-hashes";
  {
    FileHashes hashes(memory, late);
    hashes.of(file);
    CHECK(hashes.files_read() == 1);
    hashes.save();
  }
  FileHashes again(memory, late);
  CHECK(again.of(file) == "f" + sha1_hex("one"));
  CHECK(again.files_read() == 0);
  // Another size, mtime or inode: read again.
  dir.write("a", "three");
  CHECK(again.of(file) == "f" + sha1_hex("three"));
  CHECK(again.files_read() == 1);
}

TEST_CASE("a file changed within two seconds of its hashing is not remembered (racily clean)") {
  TempDir dir;
  const auto file = dir.write("a", "one");
  const auto memory = dir.path() / "file-hashes";
  {
    FileHashes hashes(memory, now);
    hashes.of(file);
    hashes.save();
  }
  FileHashes again(memory, late);
  again.of(file);
  CHECK(again.files_read() == 1);
}

TEST_CASE("a damaged memory file is read as no memory") {
  TempDir dir;
  const auto file = dir.write("a", "one");
  const auto memory = dir.write("file-hashes", "hmt-file-hashes 1\nnot a line\n\x01\x02\n");
  FileHashes hashes(memory, late);
  CHECK(hashes.of(file) == "f" + sha1_hex("one"));
  CHECK(hashes.files_read() == 1);
}
