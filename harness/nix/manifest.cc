#include "harness/nix/manifest.h"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <tuple>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "assertions/json_bytes.h"

namespace hmt {

namespace {
constexpr int kManifestFormat = 1;
constexpr std::uintmax_t kMaxManifestBytes = 64 * 1024 * 1024;
}  // namespace

Expected<Manifest> parse_manifest(const std::string& json_text) {
  // builtins.toJSON writes a string's bytes as they are, UTF-8 or not.
  nlohmann::json json = json_bytes::parse(json_text);
  if (json.is_discarded() || !json.is_object()) return Error{"the manifest is not a JSON object"};
  // Every field's type is checked before it is read: nlohmann's value() and
  // get() throw on a mismatch (the fuzzer found {"format": "x"}).
  const auto format = json.find("format");
  if (format == json.end() || !format->is_number_integer() || format->get<std::int64_t>() != kManifestFormat)
    return Error{fmt::format("unsupported manifest format {} (this hmt reads format {})",
                             format == json.end()        ? std::string("(none)")
                             : format->is_number_integer() ? std::to_string(format->get<std::int64_t>())
                                                           : fmt::format("(a {})", format->type_name()),
                             kManifestFormat)};
  // A text field comes as itself, or as `<key>Hex` (hex.nix) where the Nix
  // that wrote it refuses text that is not UTF-8 in JSON.
  auto text = [&](const char* key, bool required) -> Expected<std::string> {
    const std::string hex_key = std::string(key) + "Hex";
    if (json.contains(hex_key)) {
      if (!json[hex_key].is_string()) return Error{fmt::format("the manifest's field '{}' is not a string", hex_key)};
      auto bytes = json_bytes::from_hex(json[hex_key].get<std::string>());
      if (!bytes) return Error{fmt::format("the manifest's field '{}' is not hexadecimal", hex_key)};
      return *bytes;
    }
    if (!json.contains(key)) {
      if (required) return Error{fmt::format("the manifest has no string field '{}'", key)};
      return std::string();
    }
    if (!json[key].is_string())
      return Error{required ? fmt::format("the manifest has no string field '{}'", key)
                            : fmt::format("the manifest's field '{}' is not a string", key)};
    return json[key].get<std::string>();
  };
  Manifest manifest;
  for (auto [key, field, required] : {std::tuple{"name", &manifest.name, true}, std::tuple{"script", &manifest.script, true},
                                      std::tuple{"file", &manifest.file, false},
                                      std::tuple{"description", &manifest.description, false}}) {
    auto value = text(key, required);
    if (!value) return Error{value.error()};
    *field = std::move(value).value();
  }
  if (!json.contains("tested") || !json["tested"].is_string())
    return Error{"the manifest has no string field 'tested'"};
  manifest.tested = json["tested"].get<std::string>();
  return manifest;
}

Expected<Manifest> read_manifest(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return Error{fmt::format("manifest {} is not a file", path.string())};
  if (std::filesystem::file_size(path, ec) > kMaxManifestBytes)
    return Error{fmt::format("manifest {} is larger than 64 MiB", path.string())};
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return Error{fmt::format("cannot read manifest {}", path.string())};
  auto parsed = parse_manifest(text.str());
  if (!parsed) return Error{fmt::format("manifest {}: {}", path.string(), parsed.error())};
  return parsed;
}

}  // namespace hmt
