#include "assertions/paths.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/catch.h"

#include "tests/temp_dir.h"

namespace fs = std::filesystem;
using hmt::AssertionContext;

namespace {

const std::string kHash = "abcdefghijklmnopqrstuvwxyz012345";

AssertionContext fixed_context() { return {"/build/tested", "/build/work", "/nix/store"}; }

}  // namespace

TEST_CASE("relative tested paths resolve under the tested tree", "[paths]") {
  const auto context = fixed_context();
  CHECK(hmt::resolve_tested_path("home-files/.bashrc", context).path == "/build/tested/home-files/.bashrc");
  CHECK(hmt::resolve_tested_path("./a/../b//c/", context).path == "/build/tested/b/c");
  CHECK(hmt::resolve_tested_path(".", context).path == "/build/tested");
  CHECK(hmt::resolve_tested_path("a/b", context).ok());
}

TEST_CASE("relative paths may not climb out of the tested tree", "[paths]") {
  const auto context = fixed_context();
  const auto escaped = hmt::resolve_tested_path("../../etc/passwd", context);
  CHECK_FALSE(escaped.ok());
  CHECK(escaped.error == "path '../../etc/passwd' escapes the tested tree");
  CHECK_FALSE(hmt::resolve_tested_path("a/../../work/x", context).ok());
  CHECK_FALSE(hmt::resolve_tested_path("..", context).ok());
}

TEST_CASE("absolute paths must lie in the tested tree, the work dir or the store", "[paths]") {
  const auto context = fixed_context();
  CHECK(hmt::resolve_tested_path("/build/tested/home-files/x", context).path == "/build/tested/home-files/x");
  CHECK(hmt::resolve_tested_path("/build/work/normalized/x", context).path == "/build/work/normalized/x");
  CHECK(hmt::resolve_tested_path("/nix/store/" + kHash + "-hello/bin/hello", context).ok());
  CHECK(hmt::resolve_tested_path("/nix/store/", context).path == "/nix/store");

  const auto outside = hmt::resolve_tested_path("/etc/passwd", context);
  CHECK_FALSE(outside.ok());
  CHECK(outside.error == "path '/etc/passwd' is outside the tested tree, the work dir and the store");
  // `..` is resolved before the check, and roots match whole components.
  CHECK_FALSE(hmt::resolve_tested_path("/nix/store/../../etc/passwd", context).ok());
  CHECK_FALSE(hmt::resolve_tested_path("/build/tested-other/file", context).ok());
  CHECK_FALSE(hmt::resolve_tested_path("/nix/storehouse", context).ok());
}

TEST_CASE("an unset work dir admits nothing", "[paths]") {
  AssertionContext context = fixed_context();
  context.work_dir.clear();
  CHECK_FALSE(hmt::resolve_tested_path("/build/work/x", context).ok());
  CHECK_FALSE(hmt::resolve_tested_path("/etc/passwd", context).ok());
  CHECK(hmt::resolve_tested_path("/build/tested/x", context).ok());
}

TEST_CASE("an empty path is an error", "[paths]") {
  CHECK(hmt::resolve_tested_path("", fixed_context()).error == "path is empty");
  CHECK(hmt::resolve_expected_path("", fixed_context()).error == "expected file path is empty");
}

TEST_CASE("a relative tested tree is made absolute", "[paths]") {
  AssertionContext context = fixed_context();
  context.tested = "relative/tested";
  const auto resolved = hmt::resolve_tested_path("file", context);
  REQUIRE(resolved.ok());
  CHECK(resolved.path.is_absolute());
  CHECK(resolved.path == fs::current_path() / "relative/tested/file");
}

TEST_CASE("expected files may be any file, relative ones found in the work dir, then the tested tree", "[paths]") {
  const auto context = fixed_context();
  CHECK(hmt::resolve_expected_path("/nix/store/" + kHash + "-expected.conf", context).ok());
  CHECK(hmt::resolve_expected_path("/build/work/normalized/app.conf", context).ok());
  CHECK(hmt::resolve_expected_path("golden/app.conf", context).path == "/build/tested/golden/app.conf");
  CHECK(hmt::resolve_expected_path("/home/me/app.conf", context).path == "/home/me/app.conf");
  CHECK(hmt::resolve_expected_path("/dev/fd/63", context).path == "/dev/fd/63");
  CHECK(hmt::resolve_expected_path("../app.conf", context).error ==
        "expected file path '../app.conf' escapes the tested tree");
}

TEST_CASE("a relative expected file the script wrote is found in its work dir", "[paths]") {
  hmt::testing::TempDir dir;
  dir.write("made.expected", "x\n");
  const fs::path work = dir.path();
  AssertionContext context = fixed_context();
  context.work_dir = work;
  CHECK(hmt::resolve_expected_path("made.expected", context).path == work / "made.expected");
  CHECK(hmt::resolve_expected_path("other.expected", context).path == "/build/tested/other.expected");
}

namespace {

// A tested tree in a temp dir holding links into the store, inside the
// tree, and out of both (to /etc and to /).
struct LinkTree {
  LinkTree() {
    const fs::path root = dir.path();
    context = {root / "tested", root / "work", root / "store"};
    dir.write("store/" + kHash + "-files/app.conf", "x\n");
    dir.write("tested/home-files/local.conf", "y\n");
    fs::create_directories(root / "work");
    fs::create_symlink(root / "store" / (kHash + "-files"), root / "tested/home-files/store");
    fs::create_symlink("local.conf", root / "tested/home-files/inside");
    fs::create_symlink("/etc", root / "tested/home-files/etc");
    fs::create_symlink("/", root / "tested/home-files/root");
    fs::create_symlink("../../..", root / "tested/home-files/up");
    fs::create_symlink("store/../../../../../../../../../etc", root / "tested/home-files/via-store");
    fs::create_symlink("loop", root / "tested/home-files/loop");
    // A link into the store whose store file links out of it.
    fs::create_symlink("/etc/hostname", root / "store" / (kHash + "-files/leaks"));
    fs::create_symlink(root / "store" / (kHash + "-files/leaks"), root / "tested/home-files/chain");
  }
  hmt::testing::TempDir dir;
  AssertionContext context;
};

}  // namespace

TEST_CASE("links into the store or the tree are followed", "[paths]") {
  LinkTree tree;
  CHECK(hmt::resolve_tested_path("home-files/store/app.conf", tree.context).ok());
  CHECK(hmt::resolve_tested_path("home-files/inside", tree.context).ok());
  CHECK(hmt::resolve_expected_path("home-files/store/app.conf", tree.context).ok());
  // A loop is left to the kernel, which refuses to follow it.
  CHECK(hmt::resolve_tested_path("home-files/loop", tree.context).ok());
}

TEST_CASE("links out of the tree and the store are refused, naming the link", "[paths]") {
  LinkTree tree;
  CHECK(hmt::resolve_tested_path("home-files/etc/passwd", tree.context).error ==
        "path 'home-files/etc/passwd' leads out of the tested tree: the link 'home-files/etc' "
        "points to '/etc', outside the tested tree and the store");
  CHECK(hmt::resolve_tested_path("home-files/etc", tree.context).error ==
        "path 'home-files/etc' leads out of the tested tree: the link 'home-files/etc' "
        "points to '/etc', outside the tested tree and the store");
  CHECK_THAT(hmt::resolve_tested_path("home-files/root/etc/hostname", tree.context).error,
             hmt::testing::Contains("the link 'home-files/root' points to '/'"));
  CHECK_THAT(hmt::resolve_tested_path("home-files/up/x", tree.context).error,
             hmt::testing::Contains("the link 'home-files/up' points to '../../..'"));
  CHECK_THAT(hmt::resolve_tested_path("home-files/via-store/passwd", tree.context).error,
             hmt::testing::Contains("the link 'home-files/via-store' points to 'store/../../../../../../../../../etc'"));
  CHECK_THAT(hmt::resolve_expected_path("home-files/etc/passwd", tree.context).error,
             hmt::testing::StartsWith("expected file path 'home-files/etc/passwd' leads out"));
  // Through the store and out: the link in the tree is named, and where its
  // chain ends.
  const std::string chain = hmt::resolve_tested_path("home-files/chain", tree.context).error;
  CHECK_THAT(chain, hmt::testing::Contains("the link 'home-files/chain' points to '" +
                                    (tree.dir.path() / "store" / (kHash + "-files/leaks")).string() +
                                    "', which leads to '/etc/hostname', outside the tested tree and the store"));
  // An absolute path into the tree is checked the same way.
  CHECK_FALSE(hmt::resolve_tested_path((tree.context.tested / "home-files/etc/passwd").string(),
                                       tree.context).ok());
}

TEST_CASE("links into the case's sources are followed once they are input roots", "[paths]") {
  LinkTree tree;
  tree.dir.write("checkout/tests/plugins/a.zip", "zip\n");
  fs::create_symlink(tree.dir.path() / "checkout/tests/plugins/a.zip", tree.dir.path() / "tested/home-files/a.zip");
  CHECK(hmt::resolve_tested_path("home-files/a.zip", tree.context).error ==
        "path 'home-files/a.zip' leads out of the tested tree: the link 'home-files/a.zip' points to '" +
            (tree.dir.path() / "checkout/tests/plugins/a.zip").string() + "', outside the tested tree and the store");
  tree.context.input_roots = {tree.dir.path() / "checkout"};
  CHECK(hmt::resolve_tested_path("home-files/a.zip", tree.context).ok());
  // The other roots' rule is unchanged, and messages name the sources.
  CHECK(hmt::resolve_tested_path("home-files/etc/passwd", tree.context).error ==
        "path 'home-files/etc/passwd' leads out of the tested tree: the link 'home-files/etc' "
        "points to '/etc', outside the tested tree and the store and the case's sources");
  CHECK(hmt::resolve_tested_path("/etc/passwd", tree.context).error ==
        "path '/etc/passwd' is outside the tested tree, the work dir, the case's sources and the store");
}

TEST_CASE("assertions about the link itself keep a final link out of the tree", "[paths]") {
  LinkTree tree;
  using hmt::FinalLink;
  CHECK(hmt::resolve_tested_path("home-files/etc", tree.context, FinalLink::Keep).ok());
  CHECK(hmt::resolve_tested_path("home-files/root", tree.context, FinalLink::Keep).ok());
  // ... but not one on the way.
  CHECK_FALSE(hmt::resolve_tested_path("home-files/etc/passwd", tree.context, FinalLink::Keep).ok());
}
