#include "process/output_watch.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "tests/catch.h"
#include "tests/temp_dir.h"

using namespace std::chrono_literals;

namespace {

bool within(std::chrono::milliseconds limit, const std::atomic<bool>& flag) {
  for (auto waited = 0ms; waited < limit; waited += 10ms) {
    if (flag) return true;
    std::this_thread::sleep_for(10ms);
  }
  return flag;
}

}  // namespace

TEST_CASE("a pipe whose reader goes away is seen at once, without a write") {
  int ends[2];
  REQUIRE(::pipe(ends) == 0);
  std::atomic<bool> closed{false};
  {
    hmt::OutputWatch watch(ends[1], [&] { closed = true; });
    std::this_thread::sleep_for(50ms);
    CHECK_FALSE(closed);
    ::close(ends[0]);
    CHECK(within(2000ms, closed));
  }
  ::close(ends[1]);
}

TEST_CASE("a file or a pipe still read is never taken for closed, and the watch ends with its owner") {
  hmt::testing::TempDir dir;
  const int file = ::open((dir.path() / "report").c_str(), O_WRONLY | O_CREAT, 0644);
  REQUIRE(file >= 0);
  int ends[2];
  REQUIRE(::pipe(ends) == 0);
  std::atomic<bool> closed{false};
  {
    hmt::OutputWatch on_file(file, [&] { closed = true; });
    hmt::OutputWatch on_pipe(ends[1], [&] { closed = true; });
    std::this_thread::sleep_for(100ms);
  }
  CHECK_FALSE(closed);
  ::close(file);
  ::close(ends[0]);
  ::close(ends[1]);
}
