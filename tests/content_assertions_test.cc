#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "tests/catch.h"
#include <fmt/core.h>

#include "assertions/assertion.h"
#include "tests/file_tree_fixture.h"

namespace fs = std::filesystem;
using hmt::AssertionResult;
using hmt::Status;
using hmt::testing::kHash;
using hmt::testing::Tree;

TEST_CASE("assertFileContains matches fixed strings line by line", "[content_assertions]") {
  Tree tree;
  const std::string config = "home-files/.config/app/config";
  const auto found = tree.run("assertFileContains", {config, "key = value"});
  CHECK(found.status == Status::Pass);
  CHECK(found.message == "File 'home-files/.config/app/config' contains 'key = value' (line 2).");
  CHECK(tree.run("assertFileContains", {config, "y = v"}).status == Status::Pass);
  // Fixed strings: regex characters mean themselves.
  CHECK(tree.run("assertFileContains", {config, "# comment"}).status == Status::Pass);
  CHECK(tree.run("assertFileContains", {config, "key.=.value"}).status == Status::Fail);
  // Never across lines.
  CHECK(tree.run("assertFileContains", {config, "one key"}).status == Status::Fail);
  CHECK(tree.run("assertFileContains", {"home-files/store-link", "the store"}).status == Status::Pass);
  CHECK(tree.run("assertFileContains", {"home-files/binary", "def"}).status == Status::Pass);

  const auto absent = tree.run("assertFileContains", {config, "absent"});
  CHECK(absent.status == Status::Fail);
  CHECK(absent.message == "Expected file 'home-files/.config/app/config' to contain 'absent' but it does not.");
  CHECK(absent.expected == "absent");
  CHECK(absent.actual == "line one\nkey = value\n# comment\n");
}

TEST_CASE("assertFileContains takes a text with newlines as grep -F does", "[content_assertions]") {
  Tree tree;
  const std::string config = "home-files/.config/app/config";
  // Each line of the text is a pattern of its own; any one may match.
  CHECK(tree.run("assertFileContains", {config, "nope\nkey = value"}).status == Status::Pass);
  CHECK(tree.run("assertFileContains", {config, "nope\nnot here"}).status == Status::Fail);
  // A trailing newline adds an empty pattern, which matches any line.
  CHECK(tree.run("assertFileContains", {config, "nope\n"}).status == Status::Pass);
  tree.write("tested/empty", "");
  CHECK(tree.run("assertFileContains", {"empty", ""}).status == Status::Fail);

  const auto multi = tree.run("assertFileContains", {config, "first\nsecond"});
  CHECK(multi.message == "Expected file 'home-files/.config/app/config' to contain 'first…' but it does not.");
  CHECK(multi.expected == "first\nsecond");
}

TEST_CASE("assertFileContains reports missing and unreadable files", "[content_assertions]") {
  Tree tree;
  const auto missing = tree.run("assertFileContains", {"home-files/missing", "abc"});
  CHECK(missing.status == Status::Fail);
  CHECK(missing.message == "Expected file 'home-files/missing' to contain 'abc' but it was not found.");

  tree.context.store_dir = "/proc";  // where the unreadable link points must be allowed
  const auto unreadable = tree.run("assertFileContains", {"home-files/unreadable", "abc"});
  CHECK(unreadable.status == Status::Error);
  CHECK(unreadable.message == "cannot read 'home-files/unreadable': Input/output error");
}

TEST_CASE("assertFileContains shows only the start of a large file", "[content_assertions]") {
  Tree tree;
  std::string big;
  for (int i = 0; i < 2000; ++i) big += "filler line " + std::to_string(i) + "\n";
  tree.write("tested/big", big);
  const auto result = tree.run("assertFileContains", {"big", "absent"});
  CHECK(result.status == Status::Fail);
  REQUIRE(result.actual);
  CHECK(result.actual->substr(0, 4096) == big.substr(0, 4096));
  CHECK(result.actual->substr(4096) == fmt::format("\n[truncated: first 4096 of {} bytes shown]", big.size()));
}

TEST_CASE("assertFileRegex uses POSIX basic regexes per line", "[content_assertions]") {
  Tree tree;
  const std::string config = "home-files/.config/app/config";
  const auto found = tree.run("assertFileRegex", {config, "^key = "});
  CHECK(found.status == Status::Pass);
  CHECK(found.message == "File 'home-files/.config/app/config' matches regex '^key = ' (line 2).");
  CHECK(tree.run("assertFileRegex", {config, "va\\(l\\)ue$"}).status == Status::Pass);
  CHECK(tree.run("assertFileRegex", {config, "^line [a-z]*$"}).status == Status::Pass);
  // In a basic regex ( and | are literal characters.
  CHECK(tree.run("assertFileRegex", {config, "(one|two)"}).status == Status::Fail);
  // Lines are matched one at a time: no match spans a newline.
  CHECK(tree.run("assertFileRegex", {config, "one.key"}).status == Status::Fail);
  // A NUL byte does not end the line: the text after it is still searched.
  CHECK(tree.run("assertFileRegex", {"home-files/binary", "def$"}).status == Status::Pass);
  CHECK(tree.run("assertFileRegex", {"home-files/binary", "^def"}).status == Status::Fail);
  CHECK(tree.run("assertFileRegex", {config, "nomatch\n^# "}).status == Status::Pass);

  const auto missed = tree.run("assertFileRegex", {config, "nomatch"});
  CHECK(missed.status == Status::Fail);
  CHECK(missed.message == "Expected file 'home-files/.config/app/config' to match regex 'nomatch' but no line does.");
  CHECK(missed.expected == "nomatch");
  CHECK(missed.actual == "line one\nkey = value\n# comment\n");
  CHECK(tree.run("assertFileRegex", {"home-files/missing", "x"}).message ==
        "Expected file 'home-files/missing' to match regex 'x' but it was not found.");
}

TEST_CASE("assertFileNotRegex fails on the first matching line", "[content_assertions]") {
  Tree tree;
  const std::string config = "home-files/.config/app/config";
  const auto clean = tree.run("assertFileNotRegex", {config, "nomatch"});
  CHECK(clean.status == Status::Pass);
  CHECK(clean.message == "File 'home-files/.config/app/config' does not match regex 'nomatch'.");

  const auto matched = tree.run("assertFileNotRegex", {config, "= val"});
  CHECK(matched.status == Status::Fail);
  CHECK(matched.message == "Expected file 'home-files/.config/app/config' not to match regex '= val' but line 2 does.");
  CHECK(matched.actual == "key = value");
  // As nmt's grep: nothing matches in a file that is not there.
  const auto missing = tree.run("assertFileNotRegex", {"home-files/missing", "x"});
  CHECK(missing.status == Status::Pass);
  CHECK(missing.message == "File 'home-files/missing' does not match regex 'x': it was not found.");
  CHECK(tree.run("assertFileNotRegex", {"home-files/empty-dir", "x"}).status == Status::Pass);
  CHECK(tree.run("assertFileRegex", {"home-files/missing", "x"}).status == Status::Fail);
  // The path policy still holds.
  CHECK(tree.run("assertFileNotRegex", {"../outside", "x"}).status == Status::Error);
}

TEST_CASE("an invalid regex is an error", "[content_assertions]") {
  Tree tree;
  for (const char* name : {"assertFileRegex", "assertFileNotRegex"}) {
    const auto result = tree.run(name, {"home-files/plain.txt", "a\\(b"});
    INFO(name);
    CHECK(result.status == Status::Error);
    CHECK_THAT(result.message, hmt::testing::StartsWith("invalid regex 'a\\(b': "));
    CHECK(result.message.size() > std::string("invalid regex 'a\\(b': ").size());
  }
}

TEST_CASE("assertFileContent passes on equal files", "[content_assertions]") {
  Tree tree;
  const fs::path expected = tree.write("store/" + kHash + "-expected/config", "line one\nkey = value\n# comment\n");
  const auto same = tree.run("assertFileContent", {"home-files/.config/app/config", expected.string()});
  CHECK(same.status == Status::Pass);
  CHECK(same.message ==
        fmt::format("File 'home-files/.config/app/config' has the same content as '{}'.", expected.string()));
  // Relative expected paths are taken from the tested tree; links are followed.
  tree.write("tested/golden/config", "from the store\n");
  CHECK(tree.run("assertFileContent", {"home-files/store-link", "golden/config"}).status == Status::Pass);
}

TEST_CASE("assertFileContent shows a unified diff from actual to expected", "[content_assertions]") {
  Tree tree;
  const fs::path expected = tree.write("work/expected.conf", "line one\nkey = other\n# comment\n");
  const auto result = tree.run("assertFileContent", {"home-files/.config/app/config", expected.string()});
  CHECK(result.status == Status::Fail);
  CHECK(result.message == fmt::format("Expected file 'home-files/.config/app/config' to have the same content as "
                                      "'{}' but they differ.",
                                      expected.string()));
  CHECK(result.diff ==
        "--- actual\n"
        "+++ expected\n"
        "@@ -1,3 +1,3 @@\n"
        " line one\n"
        "-key = value\n"
        "+key = other\n"
        " # comment\n");
  CHECK(result.expected_path == expected.string());
  CHECK(result.actual_path == (tree.context.tested / "home-files/.config/app/config").string());
}

TEST_CASE("assertFileContent does not diff binary files", "[content_assertions]") {
  Tree tree;
  const fs::path expected = tree.write("work/expected.bin", std::string("abc\0dXf\nxyz\n!", 13));
  const auto result = tree.run("assertFileContent", {"home-files/binary", expected.string()});
  CHECK(result.status == Status::Fail);
  CHECK(result.message == fmt::format("Expected file 'home-files/binary' to have the same content as '{}' but "
                                      "binary files differ (12 vs 13 bytes, first difference at byte 6).",
                                      expected.string()));
  CHECK_FALSE(result.diff);
  CHECK(result.expected_path == expected.string());
}

TEST_CASE("assertFileContent compares but does not diff huge files", "[content_assertions]") {
  Tree tree;
  std::string huge;
  const std::string line = "a line of a rather large configuration file\n";
  while (huge.size() < 9 * 1024 * 1024) huge += line;
  tree.write("tested/huge", huge);
  const fs::path same = tree.write("work/same", huge);
  CHECK(tree.run("assertFileContent", {"huge", same.string()}).status == Status::Pass);

  std::string changed = huge;
  changed[8 * 1024 * 1024 + 5] = '#';
  const fs::path different = tree.write("work/different", changed);
  const auto result = tree.run("assertFileContent", {"huge", different.string()});
  CHECK(result.status == Status::Fail);
  CHECK(result.message == fmt::format("Expected file 'huge' to have the same content as '{}' but they differ and "
                                      "are too large to diff ({} vs {} bytes, first difference at byte {}).",
                                      different.string(), huge.size(), huge.size(), 8 * 1024 * 1024 + 6));
  CHECK_FALSE(result.diff);
}

TEST_CASE("assertFileContent errors on a bad expected file and fails on a missing tested one",
          "[content_assertions]") {
  Tree tree;
  const std::string missing_expected = (tree.context.store_dir / "missing.conf").string();
  const auto no_expected = tree.run("assertFileContent", {"home-files/plain.txt", missing_expected});
  CHECK(no_expected.status == Status::Error);
  CHECK(no_expected.message ==
        fmt::format("expected file '{}' cannot be compared: it was not found.", missing_expected));

  // Expected files are inputs: any readable file is compared.
  const auto outside = tree.run("assertFileContent", {"home-files/plain.txt", "/etc/passwd"});
  CHECK(outside.status == Status::Fail);

  const fs::path expected = tree.write("work/expected", "plain\n");
  const auto no_actual = tree.run("assertFileContent", {"home-files/missing", expected.string()});
  CHECK(no_actual.status == Status::Fail);
  CHECK(no_actual.message == fmt::format("Expected file 'home-files/missing' to have the same content as '{}' but "
                                         "it was not found.",
                                         expected.string()));

  tree.context.store_dir = "/proc";  // where the unreadable link points must be allowed
  const auto unreadable = tree.run("assertFileContent", {"home-files/unreadable", expected.string()});
  CHECK(unreadable.status == Status::Error);
  CHECK_THAT(unreadable.message, hmt::testing::EndsWith("Input/output error"));
}
