#include "harness/nix/manifest.h"

#include <cstdint>
#include <fstream>
#include <sstream>

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
  for (const char* key : {"name", "script", "tested"})
    if (!json.contains(key) || !json[key].is_string())
      return Error{fmt::format("the manifest has no string field '{}'", key)};
  for (const char* key : {"file", "description"})
    if (json.contains(key) && !json[key].is_string())
      return Error{fmt::format("the manifest's field '{}' is not a string", key)};
  Manifest manifest;
  manifest.name = json["name"].get<std::string>();
  manifest.script = json["script"].get<std::string>();
  manifest.tested = json["tested"].get<std::string>();
  manifest.file = json.value("file", "");
  manifest.description = json.value("description", "");
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
