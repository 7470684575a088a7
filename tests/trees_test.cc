#include "harness/cache/trees.h"

#include <filesystem>

#include "tests/catch.h"
#include "tests/fake_process_runner.h"
#include "tests/temp_dir.h"

using namespace hmt;
using hmt::testing::exited;
using hmt::testing::FakeProcessRunner;
using hmt::testing::TempDir;
namespace fs = std::filesystem;

namespace {

std::int64_t late() { return std::int64_t{4'000'000'000} * 1'000'000'000; }

FakeProcessRunner no_processes() {
  return FakeProcessRunner([](const ProcessSpec&) { return exited(127, "", "no processes in this test"); });
}

}  // namespace

TEST_CASE("is_within compares whole path components") {
  CHECK(is_within("/a/b/c", "/a/b"));
  CHECK(is_within("/a/b", "/a/b/"));
  CHECK(is_within("/a/b/../b/c", "/a/b"));
  CHECK_FALSE(is_within("/a/bc", "/a/b"));
  CHECK_FALSE(is_within("/a", "/a/b"));
  CHECK(is_within("/x", "/"));
}

TEST_CASE("a folder outside git is walked: files and links, not folders or .git") {
  TempDir dir;
  dir.write("default.nix", "{}");
  dir.write("sub/case.nix", "{}");
  dir.write("sub/.git/HEAD", "ref");  // a nested repository's own files are not the tree's
  fs::create_symlink("sub", dir.path() / "link");
  auto runner = no_processes();
  auto tree = list_tree(dir.path(), runner);
  REQUIRE(tree);
  CHECK_FALSE(tree->git);
  CHECK(tree->files == std::vector<std::string>{"default.nix", "link", "sub/case.nix"});
  CHECK(runner.calls().empty());
  CHECK(files_under(*tree, dir.path() / "sub") == std::vector<fs::path>{dir.path() / "sub/case.nix"});
  CHECK(files_under(*tree, dir.path()).size() == 3);
  CHECK(files_under(*tree, "/elsewhere").empty());
}

TEST_CASE("a git work tree is listed by git ls-files, and its errors are said") {
  TempDir dir;
  dir.write(".git", "gitdir: /somewhere");
  std::string answer = std::string("b.nix") + '\0' + "a.nix" + '\0' + "b.nix" + '\0';
  FakeProcessRunner runner([&](const ProcessSpec&) { return exited(0, answer); });
  auto tree = list_tree(dir.path(), runner);
  REQUIRE(tree);
  CHECK(tree->git);
  CHECK(tree->files == std::vector<std::string>{"a.nix", "b.nix"});
  REQUIRE(runner.calls().size() == 1);
  const auto argv = runner.calls()[0].argv;
  CHECK(std::find(argv.begin(), argv.end(), "--exclude-standard") != argv.end());

  FakeProcessRunner failing([](const ProcessSpec&) { return exited(128, "", "fatal: not a git repository"); });
  auto broken = list_tree(dir.path(), failing);
  REQUIRE_FALSE(broken);
  CHECK(broken.error().find("not a git repository") != std::string::npos);
}

TEST_CASE("tree_root_of finds the git work tree holding a path") {
  TempDir dir;
  dir.write("repo/.git/HEAD", "ref");
  dir.write("repo/tests/cases/default.nix", "{}");
  CHECK(tree_root_of(dir.path() / "repo/tests/cases") == dir.path() / "repo");
  CHECK(tree_root_of(dir.path() / "repo/tests/cases/default.nix") == dir.path() / "repo");
  dir.write("plain/default.nix", "{}");
  CHECK(tree_root_of(dir.path() / "plain").filename() == "plain");
}

TEST_CASE("a tree's digest changes with a file's content, a new file or a removed one, and only then") {
  TempDir dir;
  dir.write("a.nix", "1");
  dir.write("b.nix", "2");
  auto runner = no_processes();
  auto digest = [&] {
    FileHashes hashes({}, late);
    return tree_digest(list_tree(dir.path(), runner).value(), hashes);
  };
  const std::string first = digest();
  CHECK(digest() == first);
  dir.write("a.nix", "changed");
  const std::string changed = digest();
  CHECK(changed != first);
  dir.write("c.nix", "new");
  const std::string added = digest();
  CHECK(added != changed);
  fs::remove(dir.path() / "c.nix");
  CHECK(digest() == changed);
}

TEST_CASE("the outermost trees: each once, none inside another") {
  CHECK(hmt::outermost({"/hm/tests", "/hm", "/src/", "/hm", "/srcs/a"}) ==
        std::vector<std::filesystem::path>{"/hm", "/src/", "/srcs/a"});
  CHECK(hmt::outermost({}).empty());
}
