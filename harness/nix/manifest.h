// A built case manifest (harness/nix/manifest.nix): the tested tree and the
// assertion script, as one JSON file in the store.
#pragma once

#include <filesystem>
#include <string>

#include "process/expected.h"

namespace hmt {

struct Manifest {
  std::string name;
  std::string file;  // the case module, as its folder lists it
  std::string description;
  std::string script;
  std::filesystem::path tested;
};

Expected<Manifest> parse_manifest(const std::string& json_text);
Expected<Manifest> read_manifest(const std::filesystem::path& path);

}  // namespace hmt
