#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/core.h>

#include "assertions/assertion.h"

namespace fs = std::filesystem;
using hmt::AssertionResult;
using hmt::Status;

namespace {

const std::string kHash = "abcdefghijklmnopqrstuvwxyz012345";

// A tested tree, a work dir and a fake store in a fresh temp dir:
//   tested/home-files/.config/app/config   three lines of text
//   tested/home-files/bin/tool             executable script
//   tested/home-files/plain.txt            mode 0644
//   tested/home-files/binary               text with a NUL byte
//   tested/home-files/store-link  -> <store>/<hash>-app/config
//   tested/home-files/dangling    -> does-not-exist
//   tested/home-files/loop-a      -> loop-b -> loop-a
//   tested/home-files/empty-dir/, full-dir/{a,b}, dir-link -> full-dir
//   tested/home-files/unreadable  -> /proc/self/mem (opens, but reading fails)
class Tree {
 public:
  Tree() {
    std::string pattern = (fs::temp_directory_path() / "hmt-file-assertions-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    root_ = pattern;
    context.tested = root_ / "tested";
    context.work_dir = root_ / "work";
    context.store_dir = root_ / "store";
    fs::create_directories(context.work_dir);

    write("tested/home-files/.config/app/config", "line one\nkey = value\n# comment\n");
    write("tested/home-files/bin/tool", "#!/bin/sh\necho hi\n", 0755);
    write("tested/home-files/plain.txt", "plain\n", 0644);
    write("tested/home-files/binary", std::string("abc\0def\nxyz\n", 12));
    const fs::path store_file = write("store/" + kHash + "-app/config", "from the store\n");
    link(store_file, "tested/home-files/store-link");
    link("does-not-exist", "tested/home-files/dangling");
    link("loop-b", "tested/home-files/loop-a");
    link("loop-a", "tested/home-files/loop-b");
    fs::create_directories(root_ / "tested/home-files/empty-dir");
    write("tested/home-files/full-dir/b", "");
    write("tested/home-files/full-dir/a", "");
    link("full-dir", "tested/home-files/dir-link");
    link("/proc/self/mem", "tested/home-files/unreadable");
  }
  ~Tree() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;

  fs::path write(const fs::path& relative, const std::string& content, int mode = 0644) const {
    const fs::path file = root_ / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
    fs::permissions(file, static_cast<fs::perms>(mode));
    return file;
  }

  void link(const fs::path& target, const fs::path& relative) const {
    fs::create_directories((root_ / relative).parent_path());
    fs::create_symlink(target, root_ / relative);
  }

  const fs::path& root() const { return root_; }

  AssertionResult run(const std::string& name, std::vector<std::string> args) const {
    const auto specs = hmt::file_assertion_specs();
    const auto spec = std::find_if(specs.begin(), specs.end(), [&](const auto& s) { return s.name == name; });
    REQUIRE(spec != specs.end());
    return spec->run({name, std::move(args), 7}, context);
  }

  hmt::AssertionContext context;

 private:
  fs::path root_;
};

}  // namespace

TEST_CASE("file assertions are registered with their arities", "[file_assertions]") {
  struct Arity {
    std::string_view name;
    int min_args;
    int max_args;
  };
  const std::vector<Arity> expected{
      {"assertFileExists", 1, 1},         {"assertPathNotExists", 1, 1},
      {"assertFileIsExecutable", 1, 1},   {"assertFileIsNotExecutable", 1, 1},
      {"assertFileContains", 2, 2},       {"assertFileRegex", 2, 2},
      {"assertFileNotRegex", 2, 2},       {"assertFileContent", 2, 2},
      {"assertLinkExists", 1, 1},         {"assertLinkPointsTo", 2, 2},
      {"assertDirectoryExists", 1, 1},    {"assertDirectoryEmpty", 1, 1},
      {"assertDirectoryNotEmpty", 1, 1},  {"fail", 1, -1},
  };
  const auto specs = hmt::file_assertion_specs();
  REQUIRE(specs.size() == expected.size());
  std::set<std::string_view> names;
  for (const auto& spec : specs) {
    names.insert(spec.name);
    CHECK(spec.run != nullptr);
    CHECK(spec.usage.substr(0, spec.name.size() + 1) == std::string(spec.name) + " ");
  }
  CHECK(names.size() == specs.size());
  for (const auto& want : expected) {
    const auto spec = std::find_if(specs.begin(), specs.end(), [&](const auto& s) { return s.name == want.name; });
    REQUIRE(spec != specs.end());
    INFO(want.name);
    CHECK(spec->min_args == want.min_args);
    CHECK(spec->max_args == want.max_args);
  }
}

TEST_CASE("results carry the call and name the tested file", "[file_assertions]") {
  Tree tree;
  const auto result = tree.run("assertFileExists", {"home-files/plain.txt"});
  CHECK(result.status == Status::Pass);
  CHECK(result.name == "assertFileExists");
  CHECK(result.args == std::vector<std::string>{"home-files/plain.txt"});
  CHECK(result.line == 7);
  CHECK(result.file == "home-files/plain.txt");
  CHECK(result.message == "File 'home-files/plain.txt' exists.");
}

TEST_CASE("a direct call without arguments is an error, not a crash", "[file_assertions]") {
  Tree tree;
  for (const auto& spec : hmt::file_assertion_specs()) {
    if (spec.name == "fail") continue;
    INFO(spec.name);
    const auto result = spec.run({std::string(spec.name), {}, 1}, tree.context);
    CHECK(result.status == Status::Error);
  }
}

TEST_CASE("paths outside the allowed roots are errors", "[file_assertions]") {
  Tree tree;
  const auto escaped = tree.run("assertFileExists", {"../../etc/passwd"});
  CHECK(escaped.status == Status::Error);
  CHECK(escaped.message == "path '../../etc/passwd' escapes the tested tree");
  CHECK(escaped.file == "../../etc/passwd");

  const auto outside = tree.run("assertFileContains", {"/etc/passwd", "root"});
  CHECK(outside.status == Status::Error);
  CHECK(outside.message == "path '/etc/passwd' is outside the tested tree, the work dir and the store");

  const auto absolute_inside = tree.run("assertFileExists", {(tree.context.tested / "home-files/plain.txt").string()});
  CHECK(absolute_inside.status == Status::Pass);
  const auto in_store = tree.run("assertFileExists", {(tree.context.store_dir / (kHash + "-app/config")).string()});
  CHECK(in_store.status == Status::Pass);
}

TEST_CASE("assertFileExists wants a regular file, following links", "[file_assertions]") {
  Tree tree;
  CHECK(tree.run("assertFileExists", {"home-files/.config/app/config"}).status == Status::Pass);
  CHECK(tree.run("assertFileExists", {"home-files/store-link"}).status == Status::Pass);

  const auto missing = tree.run("assertFileExists", {"home-files/missing"});
  CHECK(missing.status == Status::Fail);
  CHECK(missing.message == "Expected file 'home-files/missing' to exist but it was not found.");
  CHECK(tree.run("assertFileExists", {"home-files/empty-dir"}).message ==
        "Expected file 'home-files/empty-dir' to exist but found a directory.");
  CHECK(tree.run("assertFileExists", {"home-files/dangling"}).message ==
        "Expected file 'home-files/dangling' to exist but found a dangling symlink to 'does-not-exist'.");
  const auto loop = tree.run("assertFileExists", {"home-files/loop-a"});
  CHECK(loop.status == Status::Fail);
  CHECK(loop.message == "Expected file 'home-files/loop-a' to exist but found a symlink to 'loop-b' that loops.");
}

TEST_CASE("assertPathNotExists counts dangling links as existing", "[file_assertions]") {
  Tree tree;
  const auto absent = tree.run("assertPathNotExists", {"home-files/missing"});
  CHECK(absent.status == Status::Pass);
  CHECK(absent.message == "Path 'home-files/missing' does not exist.");

  const auto file = tree.run("assertPathNotExists", {"home-files/plain.txt"});
  CHECK(file.status == Status::Fail);
  CHECK(file.message == "Expected 'home-files/plain.txt' not to exist but found a regular file.");
  CHECK(tree.run("assertPathNotExists", {"home-files/dangling"}).message ==
        "Expected 'home-files/dangling' not to exist but found a symlink to 'does-not-exist'.");
  CHECK(tree.run("assertPathNotExists", {"home-files/full-dir"}).status == Status::Fail);
}

TEST_CASE("assertFileIsExecutable and assertFileIsNotExecutable read the mode", "[file_assertions]") {
  Tree tree;
  CHECK(tree.run("assertFileIsExecutable", {"home-files/bin/tool"}).status == Status::Pass);
  const auto not_executable = tree.run("assertFileIsExecutable", {"home-files/plain.txt"});
  CHECK(not_executable.status == Status::Fail);
  CHECK(not_executable.message == "Expected file 'home-files/plain.txt' to be executable but its mode is 0644.");
  CHECK(tree.run("assertFileIsExecutable", {"home-files/missing"}).message ==
        "Expected file 'home-files/missing' to be executable but it was not found.");
  CHECK(tree.run("assertFileIsExecutable", {"home-files/full-dir"}).status == Status::Fail);

  CHECK(tree.run("assertFileIsNotExecutable", {"home-files/plain.txt"}).status == Status::Pass);
  const auto executable = tree.run("assertFileIsNotExecutable", {"home-files/bin/tool"});
  CHECK(executable.status == Status::Fail);
  CHECK(executable.message == "Expected file 'home-files/bin/tool' not to be executable but its mode is 0755.");
  CHECK(tree.run("assertFileIsNotExecutable", {"home-files/missing"}).status == Status::Fail);
}

TEST_CASE("assertFileContains matches fixed strings line by line", "[file_assertions]") {
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

TEST_CASE("assertFileContains takes a text with newlines as grep -F does", "[file_assertions]") {
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

TEST_CASE("assertFileContains reports missing and unreadable files", "[file_assertions]") {
  Tree tree;
  const auto missing = tree.run("assertFileContains", {"home-files/missing", "abc"});
  CHECK(missing.status == Status::Fail);
  CHECK(missing.message == "Expected file 'home-files/missing' to contain 'abc' but it was not found.");

  tree.context.store_dir = "/proc";  // where the unreadable link points must be allowed
  const auto unreadable = tree.run("assertFileContains", {"home-files/unreadable", "abc"});
  CHECK(unreadable.status == Status::Error);
  CHECK(unreadable.message == "cannot read 'home-files/unreadable': Input/output error");
}

TEST_CASE("assertFileContains shows only the start of a large file", "[file_assertions]") {
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

TEST_CASE("assertFileRegex uses POSIX basic regexes per line", "[file_assertions]") {
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

TEST_CASE("assertFileNotRegex fails on the first matching line", "[file_assertions]") {
  Tree tree;
  const std::string config = "home-files/.config/app/config";
  const auto clean = tree.run("assertFileNotRegex", {config, "nomatch"});
  CHECK(clean.status == Status::Pass);
  CHECK(clean.message == "File 'home-files/.config/app/config' does not match regex 'nomatch'.");

  const auto matched = tree.run("assertFileNotRegex", {config, "= val"});
  CHECK(matched.status == Status::Fail);
  CHECK(matched.message == "Expected file 'home-files/.config/app/config' not to match regex '= val' but line 2 does.");
  CHECK(matched.actual == "key = value");
  CHECK(tree.run("assertFileNotRegex", {"home-files/missing", "x"}).status == Status::Fail);
}

TEST_CASE("an invalid regex is an error", "[file_assertions]") {
  Tree tree;
  for (const char* name : {"assertFileRegex", "assertFileNotRegex"}) {
    const auto result = tree.run(name, {"home-files/plain.txt", "a\\(b"});
    INFO(name);
    CHECK(result.status == Status::Error);
    CHECK_THAT(result.message, Catch::StartsWith("invalid regex 'a\\(b': "));
    CHECK(result.message.size() > std::string("invalid regex 'a\\(b': ").size());
  }
}

TEST_CASE("assertFileContent passes on equal files", "[file_assertions]") {
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

TEST_CASE("assertFileContent shows a unified diff from actual to expected", "[file_assertions]") {
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

TEST_CASE("assertFileContent does not diff binary files", "[file_assertions]") {
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

TEST_CASE("assertFileContent compares but does not diff huge files", "[file_assertions]") {
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
          "[file_assertions]") {
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
  CHECK_THAT(unreadable.message, Catch::EndsWith("Input/output error"));
}

TEST_CASE("assertLinkExists and assertLinkPointsTo look at the link itself", "[file_assertions]") {
  Tree tree;
  const auto link = tree.run("assertLinkExists", {"home-files/dangling"});
  CHECK(link.status == Status::Pass);
  CHECK(link.message == "Symlink 'home-files/dangling' points to 'does-not-exist'.");
  CHECK(tree.run("assertLinkExists", {"home-files/store-link"}).status == Status::Pass);
  CHECK(tree.run("assertLinkExists", {"home-files/plain.txt"}).message ==
        "Expected 'home-files/plain.txt' to be a symlink but found a regular file.");
  CHECK(tree.run("assertLinkExists", {"home-files/missing"}).status == Status::Fail);

  CHECK(tree.run("assertLinkPointsTo", {"home-files/dangling", "does-not-exist"}).status == Status::Pass);
  CHECK(tree.run("assertLinkPointsTo", {"home-files/dir-link", "full-dir"}).status == Status::Pass);
  // The link text is compared literally, not the paths it resolves to.
  const auto other = tree.run("assertLinkPointsTo", {"home-files/dir-link", "./full-dir"});
  CHECK(other.status == Status::Fail);
  CHECK(other.message == "Expected symlink 'home-files/dir-link' to point to './full-dir' but it points to 'full-dir'.");
  CHECK(other.expected == "./full-dir");
  CHECK(other.actual == "full-dir");
  CHECK(tree.run("assertLinkPointsTo", {"home-files/plain.txt", "x"}).message ==
        "Expected 'home-files/plain.txt' to be a symlink to 'x' but found a regular file.");
}

TEST_CASE("assertDirectoryExists follows links", "[file_assertions]") {
  Tree tree;
  CHECK(tree.run("assertDirectoryExists", {"home-files/full-dir"}).status == Status::Pass);
  CHECK(tree.run("assertDirectoryExists", {"home-files/dir-link"}).status == Status::Pass);
  CHECK(tree.run("assertDirectoryExists", {"home-files/plain.txt"}).message ==
        "Expected directory 'home-files/plain.txt' to exist but found a regular file.");
  CHECK(tree.run("assertDirectoryExists", {"home-files/missing"}).message ==
        "Expected directory 'home-files/missing' to exist but it was not found.");
}

TEST_CASE("assertDirectoryEmpty lists what it found", "[file_assertions]") {
  Tree tree;
  CHECK(tree.run("assertDirectoryEmpty", {"home-files/empty-dir"}).status == Status::Pass);

  const auto full = tree.run("assertDirectoryEmpty", {"home-files/full-dir"});
  CHECK(full.status == Status::Fail);
  CHECK(full.message == "Expected directory 'home-files/full-dir' to be empty but it contains 2 entries: a, b.");
  CHECK(full.actual == "a\nb");

  for (int i = 10; i < 25; ++i) tree.write("tested/many/f" + std::to_string(i), "");
  CHECK(tree.run("assertDirectoryEmpty", {"many"}).message ==
        "Expected directory 'many' to be empty but it contains 15 entries: "
        "f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, and 5 more.");
  CHECK(tree.run("assertDirectoryEmpty", {"home-files/plain.txt"}).message ==
        "Expected directory 'home-files/plain.txt' to be empty but found a regular file.");
}

TEST_CASE("assertDirectoryNotEmpty", "[file_assertions]") {
  Tree tree;
  const auto full = tree.run("assertDirectoryNotEmpty", {"home-files/full-dir"});
  CHECK(full.status == Status::Pass);
  CHECK(full.message == "Directory 'home-files/full-dir' contains 2 entries.");
  CHECK(tree.run("assertDirectoryNotEmpty", {"home-files/empty-dir"}).message ==
        "Expected directory 'home-files/empty-dir' not to be empty but it is.");
  CHECK(tree.run("assertDirectoryNotEmpty", {"home-files/missing"}).status == Status::Fail);
}

TEST_CASE("fail always fails with its words as the message", "[file_assertions]") {
  Tree tree;
  const auto result = tree.run("fail", {"custom", "check went wrong"});
  CHECK(result.status == Status::Fail);
  CHECK(result.message == "custom check went wrong");
  CHECK(result.file.empty());
}

TEST_CASE("every file assertion refuses a link out of the tree and the store", "[file_assertions]") {
  Tree tree;
  tree.link("/etc", "tested/home-files/etc");
  tree.link("/", "tested/home-files/root");
  for (const std::string& path : {std::string("home-files/etc/passwd"), std::string("home-files/root/etc")}) {
    const std::vector<std::pair<std::string, std::vector<std::string>>> calls = {
        {"assertFileExists", {path}},          {"assertPathNotExists", {path}},
        {"assertFileIsExecutable", {path}},    {"assertFileIsNotExecutable", {path}},
        {"assertFileContains", {path, "root"}}, {"assertFileRegex", {path, "root"}},
        {"assertFileNotRegex", {path, "x"}},   {"assertFileContent", {path, path}},
        {"assertLinkExists", {path}},          {"assertLinkPointsTo", {path, "x"}},
        {"assertDirectoryExists", {path}},     {"assertDirectoryEmpty", {path}},
        {"assertDirectoryNotEmpty", {path}},
    };
    for (const auto& [name, args] : calls) {
      INFO(name << " " << path);
      const AssertionResult result = tree.run(name, args);
      CHECK(result.status == Status::Error);
      CHECK_THAT(result.message, Catch::Contains("leads out of the tested tree: the link 'home-files/"));
    }
  }
  // The link itself may still be asserted on.
  CHECK(tree.run("assertLinkPointsTo", {"home-files/etc", "/etc"}).status == Status::Pass);
  CHECK(tree.run("assertLinkExists", {"home-files/root"}).status == Status::Pass);
}
