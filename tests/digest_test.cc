#include "harness/cache/digest.h"

#include "tests/catch.h"

using namespace hmt;

TEST_CASE("a digest is SHA-1 as 40 hex digits") {
  // SHA-1("abc"), FIPS 180-1's example.
  CHECK(sha1_hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(sha1_hex("").size() == 40);
}

TEST_CASE("fields are framed by their length, so no two sequences of fields collide") {
  CHECK(Digest().field("ab").field("c").hex() != Digest().field("a").field("bc").hex());
  CHECK(Digest().field("name", "value").hex() == Digest().field("name").field("value").hex());
  CHECK(Digest().field("a").hex() == Digest().field("a").hex());
  CHECK(Digest().field("").hex() != Digest().hex());
}
