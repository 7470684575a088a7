#include "harness/cache/digest.h"

#include <fmt/core.h>

namespace hmt {

Digest& Digest::bytes(std::string_view data) {
  sha1_.process_bytes(data.data(), data.size());
  return *this;
}

Digest& Digest::field(std::string_view value) {
  const std::string length = fmt::format("{}:", value.size());
  bytes(length);
  return bytes(value);
}

std::string Digest::hex() {
  boost::uuids::detail::sha1::digest_type digest;
  sha1_.get_digest(digest);
  std::string out;
  for (unsigned word : digest) out += fmt::format("{:08x}", word);
  return out;
}

std::string sha1_hex(std::string_view data) { return Digest().bytes(data).hex(); }

}  // namespace hmt
