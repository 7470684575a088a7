// JSON whose strings may hold any bytes. Nix's builtins.toJSON writes a
// string's bytes as they are, valid UTF-8 or not, and nlohmann::json refuses
// invalid UTF-8; so bytes that are not UTF-8 travel as private-use code
// points (U+10FF00 + byte) through the parser and are put back after.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hmt::json_bytes {

// Text that is valid UTF-8: each byte outside a well-formed sequence (and
// each byte of a code point in U+10FF00..U+10FFFF, so that the mapping can
// be undone) becomes the code point U+10FF00 + byte.
std::string protect(std::string_view bytes);

// The inverse of protect.
std::string restore(std::string_view text);

// Parses JSON text holding any bytes in its strings; every string (keys
// too) comes back with its original bytes. Discarded on a syntax error.
nlohmann::json parse(std::string_view text);

// JSON text for a value whose strings may hold any bytes, written raw (as
// builtins.toJSON does) and readable by parse.
std::string dump(const nlohmann::json& value);

// The bytes of two hexadecimal digits each (harness/nix/hex.nix writes
// them); nullopt for anything else.
std::optional<std::string> from_hex(std::string_view digits);

}  // namespace hmt::json_bytes
