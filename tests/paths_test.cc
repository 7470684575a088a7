#include "assertions/paths.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

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

TEST_CASE("expected files may be any file; relative ones are found in the work dir, then the tested tree", "[paths]") {
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
  const fs::path work = fs::temp_directory_path() / ("hmt-paths-work-" + std::to_string(::getpid()));
  fs::create_directories(work);
  std::ofstream(work / "made.expected") << "x\n";
  AssertionContext context = fixed_context();
  context.work_dir = work;
  CHECK(hmt::resolve_expected_path("made.expected", context).path == work / "made.expected");
  CHECK(hmt::resolve_expected_path("other.expected", context).path == "/build/tested/other.expected");
  fs::remove_all(work);
}
