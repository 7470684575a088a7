#include "assertions/unit_cache.h"

#include "tests/catch.h"

using hmt::FileIdentity;
using hmt::UnitCache;

namespace {

FileIdentity identity(ino_t inode, off_t size) {
  FileIdentity id;
  id.device = 1;
  id.inode = inode;
  id.size = size;
  return id;
}

}  // namespace

TEST_CASE("a cached parse is found while the file is the same", "[unit_cache]") {
  UnitCache cache;
  const auto stored = cache.store("/t/a.service", identity(5, 10), hmt::parse_unit_file("[Unit]\nA=1\n"));
  CHECK(cache.find("/t/a.service", identity(5, 10)) == stored);
  CHECK(cache.find("/t/b.service", identity(5, 10)) == nullptr);
  SECTION("a changed size, inode or time is another file") {
    CHECK(cache.find("/t/a.service", identity(5, 11)) == nullptr);
    CHECK(cache.find("/t/a.service", identity(6, 10)) == nullptr);
    FileIdentity touched = identity(5, 10);
    touched.modified.tv_nsec = 1;
    CHECK(cache.find("/t/a.service", touched) == nullptr);
  }
  SECTION("storing a path again replaces its parse") {
    const auto again = cache.store("/t/a.service", identity(5, 12), hmt::parse_unit_file("[Unit]\nA=2\n"));
    CHECK(cache.find("/t/a.service", identity(5, 10)) == nullptr);
    CHECK(cache.find("/t/a.service", identity(5, 12)) == again);
  }
}

TEST_CASE("the cache keeps at most its capacity, dropping the oldest", "[unit_cache]") {
  UnitCache cache(2);
  cache.store("/a", identity(1, 1), {});
  cache.store("/b", identity(2, 1), {});
  const auto kept = cache.store("/c", identity(3, 1), {});
  CHECK(cache.find("/a", identity(1, 1)) == nullptr);
  CHECK(cache.find("/b", identity(2, 1)) != nullptr);
  CHECK(cache.find("/c", identity(3, 1)) == kept);
  // A parse handed out stays valid after it is dropped.
  UnitCache none(0);
  const auto alone = none.store("/d", identity(4, 1), hmt::parse_unit_file("[Unit]\nA=1\n"));
  CHECK(alone->ok());
  CHECK(none.find("/d", identity(4, 1)) == nullptr);
}
