#include "harness/report/display_text.h"

#include <fmt/core.h>

#include "assertions/json_bytes.h"

namespace hmt {

std::string display_text(std::string_view bytes) {
  // protect() marks exactly the bytes that are not well-formed UTF-8 (and
  // those of its own marker range); restore() on each single marker gives
  // the byte back to show.
  const std::string marked = json_bytes::protect(bytes);
  if (marked.size() == bytes.size()) return std::string(bytes);
  std::string out;
  out.reserve(marked.size());
  std::size_t i = 0;
  while (i < marked.size()) {
    const auto lead = static_cast<unsigned char>(marked[i]);
    if (lead == 0xF4 && i + 3 < marked.size() && static_cast<unsigned char>(marked[i + 1]) == 0x8F &&
        static_cast<unsigned char>(marked[i + 2]) >= 0xBC) {
      const std::string byte = json_bytes::restore(std::string_view(marked).substr(i, 4));
      out += fmt::format("\\x{:02X}", static_cast<unsigned char>(byte.front()));
      i += 4;
    } else {
      out += marked[i];
      ++i;
    }
  }
  return out;
}

}  // namespace hmt
