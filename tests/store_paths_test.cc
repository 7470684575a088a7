#include "assertions/store_paths.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/catch.h"

#include "tests/temp_dir.h"

namespace fs = std::filesystem;
using hmt::AssertionContext;
using hmt::testing::TempDir;

namespace {

const std::string kHash = "abcdefghijklmnopqrstuvwxyz012345";
const std::string kZeros = "/nix/store/00000000000000000000000000000000";

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

AssertionContext context_in(const TempDir& dir) {
  return {dir.path() / "tested", dir.path() / "work", dir.path() / "store"};
}

}  // namespace

TEST_CASE("normalize_store_path_text zeroes hashes and drops versions like nmt", "[store_paths]") {
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

TEST_CASE("normalize_store_path_text leaves what is not a store path", "[store_paths]") {
  auto normalize = [](const std::string& text) { return hmt::normalize_store_path_text(text, "/nix/store"); };
  CHECK(normalize("no store paths here\n") == "no store paths here\n");
  CHECK(normalize("/nix/store/ABCDEFGHIJKLMNOPQRSTUVWXYZ012345-caps") == "/nix/store/ABCDEFGHIJKLMNOPQRSTUVWXYZ012345-caps");
  CHECK(normalize("/nix/store/short-hash") == "/nix/store/short-hash");
  // A failed candidate does not hide a real store path right after it.
  CHECK(normalize("/nix/store//nix/store/" + kHash + "-a") == "/nix/store/" + kZeros + "-a");
}

TEST_CASE("normalize_store_path_text honours another store dir", "[store_paths]") {
  const std::string path = "/tmp/store/" + kHash + "-app-1.0/etc";
  CHECK(hmt::normalize_store_path_text(path, "/tmp/store") == kZeros + "-app/etc");
  CHECK(hmt::normalize_store_path_text(path, "/tmp/store/") == kZeros + "-app/etc");
  CHECK(hmt::normalize_store_path_text("/nix/store/" + kHash + "-app", "/tmp/store") ==
        "/nix/store/" + kHash + "-app");
}

TEST_CASE("normalize_store_paths writes a normalized copy into the work dir", "[store_paths]") {
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

TEST_CASE("normalize_store_paths follows links out of the tested tree", "[store_paths]") {
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

TEST_CASE("normalize_store_paths reports what it cannot do", "[store_paths]") {
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
