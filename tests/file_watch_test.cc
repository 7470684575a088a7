#include "process/file_watch.h"

#include <atomic>
#include <thread>

#include "tests/catch.h"
#include "tests/temp_dir.h"

using namespace hmt;
using hmt::testing::TempDir;

TEST_CASE("a write anywhere in a watched tree ends the wait once things are quiet again") {
  TempDir dir;
  dir.write("cases/sub/a.nix", "{ }");
  dir.write("cases/.git/HEAD", "ref");
  auto watch = inotify_watch();
  REQUIRE(watch);
  auto watched = (*watch)->watch({dir.path() / "cases"});
  REQUIRE(watched);
  CHECK(*watched == 2);  // cases and cases/sub; not .git
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    dir.write("cases/sub/a.nix", "{ x = 1; }");
  });
  const auto started = std::chrono::steady_clock::now();
  const bool changed = (*watch)->wait([&] { return std::chrono::steady_clock::now() - started > std::chrono::seconds(10); },
                                      std::chrono::milliseconds(50));
  writer.join();
  CHECK(changed);
}

TEST_CASE("the wait ends without a change when asked to stop, and .git is not watched") {
  TempDir dir;
  dir.write("cases/.git/HEAD", "ref");
  auto watch = inotify_watch();
  REQUIRE(watch);
  REQUIRE((*watch)->watch({dir.path() / "cases"}));
  dir.write("cases/.git/index", "changed");  // inside .git: not seen
  std::atomic<int> asked{0};
  CHECK_FALSE((*watch)->wait([&] { return ++asked > 3; }, std::chrono::milliseconds(50)));
}
