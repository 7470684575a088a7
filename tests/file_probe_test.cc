#include "assertions/file_probe.h"

#include <filesystem>
#include <string>

#include "tests/catch.h"

#include "tests/temp_dir.h"

namespace fs = std::filesystem;
using hmt::testing::TempDir;

TEST_CASE("inspect tells the entry from what it resolves to", "[file_probe]") {
  TempDir dir;
  dir.write("file", "x\n");
  fs::create_symlink("file", dir.path() / "link");
  fs::create_symlink("nowhere", dir.path() / "dangling");

  const hmt::Entry file = hmt::inspect(dir.path() / "file");
  CHECK(file.own == fs::file_type::regular);
  CHECK(file.is_regular());
  const hmt::Entry link = hmt::inspect(dir.path() / "link");
  CHECK(link.own == fs::file_type::symlink);
  CHECK(link.is_regular());
  CHECK(link.link_target == "file");
  const hmt::Entry dangling = hmt::inspect(dir.path() / "dangling");
  CHECK(dangling.exists());
  CHECK(dangling.resolved == fs::file_type::not_found);
  CHECK(hmt::found_phrase(dangling) == "found a dangling symlink to 'nowhere'");
  CHECK(hmt::found_phrase(dangling, /*follow_links=*/false) == "found a symlink to 'nowhere'");
  CHECK(hmt::found_phrase(hmt::inspect(dir.path() / "absent")) == "it was not found");
  CHECK(hmt::found_phrase(hmt::inspect(dir.path())) == "found a directory");
}

TEST_CASE("LineReader gives lines without newlines, NUL bytes kept", "[file_probe]") {
  TempDir dir;
  dir.write("lines", std::string("one\ntw\0o\nlast", 13));
  hmt::LineReader reader(dir.path() / "lines");
  CHECK(reader.next() == std::string_view("one"));
  CHECK(reader.next() == std::string_view("tw\0o", 4));
  CHECK(reader.next() == std::string_view("last"));
  CHECK_FALSE(reader.next().has_value());
  CHECK(reader.error().empty());
}

TEST_CASE("LineReader reports a file it cannot open or read", "[file_probe]") {
  TempDir dir;
  hmt::LineReader missing(dir.path() / "absent");
  CHECK_FALSE(missing.next().has_value());
  CHECK(missing.error() == "No such file or directory");
  // /proc/self/mem opens, but reading at offset 0 fails.
  hmt::LineReader unreadable("/proc/self/mem");
  CHECK_FALSE(unreadable.next().has_value());
  CHECK_FALSE(unreadable.error().empty());
}

TEST_CASE("find_line stops at the first match", "[file_probe]") {
  TempDir dir;
  dir.write("f", "a\nb\nb2\n");
  const hmt::LineMatch match =
      hmt::find_line(dir.path() / "f", [](std::string_view line) { return line.starts_with('b'); });
  CHECK(match.number == 2);
  CHECK(match.line == "b");
  CHECK(hmt::find_line(dir.path() / "f", [](std::string_view) { return false; }).number == 0);
}

TEST_CASE("excerpt shows the start of a file and says what it left out", "[file_probe]") {
  TempDir dir;
  dir.write("f", "0123456789");
  CHECK(hmt::excerpt(dir.path() / "f", 100) == "0123456789");
  CHECK(hmt::excerpt(dir.path() / "f", 4) == "0123\n[truncated: first 4 of 10 bytes shown]");
  CHECK(hmt::excerpt(dir.path() / "absent", 4).empty());
}

TEST_CASE("compare_files finds the first differing byte", "[file_probe]") {
  TempDir dir;
  const std::string big(200000, 'a');
  dir.write("a", big);
  dir.write("same", big);
  std::string changed = big;
  changed[150000] = 'b';
  dir.write("changed", changed);
  dir.write("shorter", big.substr(0, 1000));

  CHECK_FALSE(hmt::compare_files(dir.path() / "a", dir.path() / "same").first_difference.has_value());
  CHECK(hmt::compare_files(dir.path() / "a", dir.path() / "changed").first_difference == 150000u);
  CHECK(hmt::compare_files(dir.path() / "a", dir.path() / "shorter").first_difference == 1000u);
  CHECK_THAT(hmt::compare_files(dir.path() / "a", dir.path() / "absent").error,
             hmt::testing::Contains("cannot read") && hmt::testing::Contains("absent"));
}

TEST_CASE("read_whole and list_directory", "[file_probe]") {
  TempDir dir;
  dir.write("d/b", "");
  dir.write("d/a", "text");
  std::string error;
  CHECK(hmt::read_whole(dir.path() / "d/a", error) == std::string("text"));
  CHECK_FALSE(hmt::read_whole(dir.path() / "absent", error).has_value());
  CHECK(error == "No such file or directory");
  CHECK(hmt::list_directory(dir.path() / "d").names == std::vector<std::string>{"a", "b"});
  CHECK_THAT(hmt::list_directory(dir.path() / "absent").error, hmt::testing::Contains("cannot list"));
}
