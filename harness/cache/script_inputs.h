// The files outside the Nix store a case's script names by absolute path
// (an expected file such as /src/expected.conf, a file a bash script reads):
// its verdict depends on them, so the cache keeps their hashes with it.
// Paths into the store, the scratch folder and the kernel's pseudo files
// (/dev, /proc, /sys) are left out.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace hmt {

std::vector<std::string> script_inputs(std::string_view script, const std::filesystem::path& store_dir);

}  // namespace hmt
