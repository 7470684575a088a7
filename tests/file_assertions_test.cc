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

TEST_CASE("file and content assertions are registered with their arities", "[file_assertions]") {
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
  std::vector<hmt::AssertionSpec> specs;
  for (const auto family : {hmt::file_assertion_specs(), hmt::content_assertion_specs()})
    specs.insert(specs.end(), family.begin(), family.end());
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

TEST_CASE("assertPathNotExists follows links as nmt's -e does: a dangling link does not exist", "[file_assertions]") {
  Tree tree;
  const auto absent = tree.run("assertPathNotExists", {"home-files/missing"});
  CHECK(absent.status == Status::Pass);
  CHECK(absent.message == "Path 'home-files/missing' does not exist.");

  const auto file = tree.run("assertPathNotExists", {"home-files/plain.txt"});
  CHECK(file.status == Status::Fail);
  CHECK(file.message == "Expected 'home-files/plain.txt' not to exist but found a regular file.");
  const auto dangling = tree.run("assertPathNotExists", {"home-files/dangling"});
  CHECK(dangling.status == Status::Pass);
  CHECK(dangling.message == "Path 'home-files/dangling' does not exist (found a dangling symlink to 'does-not-exist').");
  CHECK(tree.run("assertPathNotExists", {"home-files/loop-a"}).status == Status::Pass);
  CHECK(tree.run("assertPathNotExists", {"home-files/store-link"}).status == Status::Fail);
  CHECK(tree.run("assertPathNotExists", {"home-files/full-dir"}).status == Status::Fail);
  // A link out of the allowed roots is refused, not looked through.
  CHECK(tree.run("assertPathNotExists", {"home-files/unreadable"}).status == Status::Error);
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
      CHECK_THAT(result.message, hmt::testing::Contains("leads out of the tested tree: the link 'home-files/"));
    }
  }
  // The link itself may still be asserted on.
  CHECK(tree.run("assertLinkPointsTo", {"home-files/etc", "/etc"}).status == Status::Pass);
  CHECK(tree.run("assertLinkExists", {"home-files/root"}).status == Status::Pass);
}
