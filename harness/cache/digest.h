// SHA-1 digests as hex text: the content hashes and keys of the verdict
// cache. Each field is written with its length, so that no two sequences of
// fields give the same digest ("ab","c" and "a","bc" differ).
#pragma once

#include <string>
#include <string_view>

#include <boost/uuid/detail/sha1.hpp>

namespace hmt {

class Digest {
 public:
  // Raw bytes, as they come (for a file's content).
  Digest& bytes(std::string_view data);
  // One field of a key: its length, then its bytes.
  Digest& field(std::string_view value);
  Digest& field(std::string_view name, std::string_view value) { return field(name).field(value); }
  // 40 hex digits; the digest cannot be extended afterwards.
  std::string hex();

 private:
  boost::uuids::detail::sha1 sha1_;
};

std::string sha1_hex(std::string_view data);

}  // namespace hmt
