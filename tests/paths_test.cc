#include "assertions/paths.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

namespace fs = std::filesystem;
using hmt::AssertionContext;

namespace {

const std::string kHash = "abcdefghijklmnopqrstuvwxyz012345";
const std::string kZeros = "/nix/store/00000000000000000000000000000000";

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "hmt-paths-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }

  fs::path write(const fs::path& relative, const std::string& content) const {
    const fs::path file = path_ / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }

 private:
  fs::path path_;
};

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

AssertionContext context_in(const TempDir& dir) {
  return {dir.path() / "tested", dir.path() / "work", dir.path() / "store"};
}

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

TEST_CASE("normalize_store_path_text zeroes hashes and drops versions like nmt", "[paths]") {
  const std::string store = "/nix/store/" + kHash;
  auto normalize = [](const std::string& text) { return hmt::normalize_store_path_text(text, "/nix/store"); };
  CHECK(normalize(store + "-hello-2.12/bin/hello") == kZeros + "-hello/bin/hello");
  CHECK(normalize(store + "-python3-3.11.4-env/bin/python") == kZeros + "-python3/bin/python");
  CHECK(normalize(store + "-hello-world-2.1-bin/share") == kZeros + "-hello-world/share");
  CHECK(normalize(store + "-foo--bar/x") == kZeros + "-foo/x");
  CHECK(normalize(store + "-source?x=1-2") == kZeros + "-source?x=1");
  CHECK(normalize(store + "-1.0-foo") == kZeros);
  CHECK(normalize(store + "-a-") == kZeros + "-a");
  CHECK(normalize(store + "-.dot") == kZeros);
  CHECK(normalize(store) == kZeros);
  CHECK(normalize(store + "extra") == kZeros + "extra");
  CHECK(normalize("PATH=" + store + "-a-b-c:" + store + "-x_y.conf end") ==
        "PATH=" + kZeros + "-a-b-c:" + kZeros + "-x_y.conf end");
  CHECK(normalize("x" + store + "-tool") == "x" + kZeros + "-tool");
}

TEST_CASE("normalize_store_path_text leaves what is not a store path", "[paths]") {
  auto normalize = [](const std::string& text) { return hmt::normalize_store_path_text(text, "/nix/store"); };
  CHECK(normalize("no store paths here\n") == "no store paths here\n");
  CHECK(normalize("/nix/store/ABCDEFGHIJKLMNOPQRSTUVWXYZ012345-caps") == "/nix/store/ABCDEFGHIJKLMNOPQRSTUVWXYZ012345-caps");
  CHECK(normalize("/nix/store/short-hash") == "/nix/store/short-hash");
  // A failed candidate does not hide a real store path right after it.
  CHECK(normalize("/nix/store//nix/store/" + kHash + "-a") == "/nix/store/" + kZeros + "-a");
}

TEST_CASE("normalize_store_path_text honours another store dir", "[paths]") {
  const std::string path = "/tmp/store/" + kHash + "-app-1.0/etc";
  CHECK(hmt::normalize_store_path_text(path, "/tmp/store") == kZeros + "-app/etc");
  CHECK(hmt::normalize_store_path_text(path, "/tmp/store/") == kZeros + "-app/etc");
  CHECK(hmt::normalize_store_path_text("/nix/store/" + kHash + "-app", "/tmp/store") ==
        "/nix/store/" + kHash + "-app");
}

TEST_CASE("normalize_store_paths writes a normalized copy into the work dir", "[paths]") {
  TempDir dir;
  const auto context = context_in(dir);
  const std::string store = context.store_dir.string() + "/" + kHash;
  const fs::path original = dir.write("tested/home-files/.config/app.conf",
                                      "bin = " + store + "-hello-2.12/bin/hello\nplain line\nlast " + store + "-x");
  fs::permissions(original, fs::perms::owner_all | fs::perms::group_read);

  const auto copy = hmt::normalize_store_paths("home-files/.config/app.conf", context);
  REQUIRE(copy.ok());
  CHECK(copy.path == dir.path() / "work" / "normalized" / "app.conf");
  // The last line had no newline and still has none.
  CHECK(read(copy.path) == "bin = " + kZeros + "-hello/bin/hello\nplain line\nlast " + kZeros + "-x");
  CHECK(fs::status(copy.path).permissions() == (fs::perms::owner_all | fs::perms::group_read));
  // The tested tree is left alone.
  CHECK(read(original).find(kHash) != std::string::npos);

  // Normalizing the copy again rewrites it in place without losing it.
  const auto again = hmt::normalize_store_paths(copy.path.string(), context);
  REQUIRE(again.ok());
  CHECK(again.path == copy.path);
  CHECK(read(again.path) == "bin = " + kZeros + "-hello/bin/hello\nplain line\nlast " + kZeros + "-x");
  CHECK_FALSE(fs::exists(dir.path() / "work" / "normalized" / "app.conf.partial"));
}

TEST_CASE("normalize_store_paths follows links out of the tested tree", "[paths]") {
  TempDir dir;
  const auto context = context_in(dir);
  const fs::path target =
      dir.write("store/" + kHash + "-app/config", context.store_dir.string() + "/" + kHash + "-dep-1/lib\n");
  fs::create_directories(dir.path() / "tested/home-files");
  fs::create_symlink(target, dir.path() / "tested/home-files/config");

  const auto copy = hmt::normalize_store_paths("home-files/config", context);
  REQUIRE(copy.ok());
  CHECK(read(copy.path) == kZeros + "-dep/lib\n");
}

TEST_CASE("normalize_store_paths reports what it cannot do", "[paths]") {
  TempDir dir;
  AssertionContext context = context_in(dir);
  fs::create_directories(context.tested / "a-dir");

  CHECK(hmt::normalize_store_paths("missing.conf", context).error == "cannot normalize 'missing.conf': no such file");
  CHECK(hmt::normalize_store_paths("a-dir", context).error == "cannot normalize 'a-dir': no such file");
  CHECK(hmt::normalize_store_paths("../outside", context).error == "path '../outside' escapes the tested tree");

  dir.write("tested/file.conf", "x\n");
  context.work_dir.clear();
  CHECK(hmt::normalize_store_paths("file.conf", context).error ==
        "cannot normalize 'file.conf': no work dir to write the copy to");
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
