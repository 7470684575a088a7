#include "assertions/json_bytes.h"

#include <string>

#include "tests/catch.h"

namespace json_bytes = hmt::json_bytes;

TEST_CASE("protect makes any bytes valid UTF-8 and restore undoes it", "[json_bytes]") {
  const std::string samples[] = {
      "plain ascii",
      "caf\xC3\xA9 stays",
      "latin-1 caf\xE9",
      "\xFF\xFE bom-like",
      std::string("nul \0 inside", 12),
      "truncated \xE2\x82",
      "surrogate \xED\xA0\x80",
      "marker range itself \xF4\x8F\xBC\x80 and \xF4\x8F\xBF\xBF",
  };
  for (const std::string& sample : samples) {
    INFO(sample);
    const std::string shielded = json_bytes::protect(sample);
    CHECK(json_bytes::restore(shielded) == sample);
    CHECK_NOTHROW(nlohmann::json(shielded).dump());  // nlohmann accepts it
  }
  CHECK(json_bytes::protect("caf\xC3\xA9") == "caf\xC3\xA9");  // valid text is unchanged
}

TEST_CASE("parse keeps the bytes of every string, keys too", "[json_bytes]") {
  const nlohmann::json value = json_bytes::parse("{\"n\xFF\xFE\":[\"caf\xE9\",\"ok\"],\"s\":\"\\u00e9\"}");
  REQUIRE(value.is_object());
  REQUIRE(value.contains("n\xFF\xFE"));
  CHECK(value["n\xFF\xFE"][0] == "caf\xE9");
  CHECK(value["s"] == "\xC3\xA9");
  CHECK(json_bytes::parse("{not json").is_discarded());
}

TEST_CASE("dump and parse round-trip any bytes", "[json_bytes]") {
  nlohmann::json value;
  value["message"] = "bytes \xFF\x80 end";
  value["list"] = {"\xE9", "fine"};
  const nlohmann::json back = json_bytes::parse(json_bytes::dump(value));
  CHECK(back["message"].get<std::string>() == "bytes \xFF\x80 end");
  CHECK(back["list"][0].get<std::string>() == "\xE9");
  CHECK(back["list"][1].get<std::string>() == "fine");
}

TEST_CASE("from_hex gives the bytes of hex.nix's digits, and nothing for anything else", "[json_bytes]") {
  CHECK(hmt::json_bytes::from_hex("636166e90aff") == std::string("caf\xe9\n\xff"));
  CHECK(hmt::json_bytes::from_hex("") == std::string());
  CHECK_FALSE(hmt::json_bytes::from_hex("abc").has_value());
  CHECK_FALSE(hmt::json_bytes::from_hex("zz").has_value());
}
