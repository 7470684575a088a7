#include "harness/cache/atomic_write.h"

#include <unistd.h>

#include <atomic>
#include <fstream>

#include <fmt/core.h>

namespace hmt {

std::optional<std::string> write_atomically(const std::filesystem::path& target, const std::string& contents) {
  // Unique per process and per call: threads of one run write side by side.
  static std::atomic<unsigned> counter{0};
  std::error_code ec;
  std::filesystem::create_directories(target.parent_path(), ec);
  if (ec) return ec.message();
  const std::filesystem::path fresh = target.string() + fmt::format(".{}.{}.tmp", ::getpid(), counter++);
  {
    std::ofstream out(fresh, std::ios::binary | std::ios::trunc);
    out << contents;
    out.flush();
    if (!out) {
      out.close();
      std::filesystem::remove(fresh, ec);
      return std::string("the file could not be written");
    }
  }
  std::filesystem::rename(fresh, target, ec);
  if (!ec) return std::nullopt;
  const std::string why = ec.message();
  std::filesystem::remove(fresh, ec);
  return why;
}

}  // namespace hmt
