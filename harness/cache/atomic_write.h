// Writing a cache file whole or not at all: readers (another hmt run)
// never see half of it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace hmt {

// Writes `contents` to a temporary file beside `target` (made with its
// folders), then renames it over `target`. The reason when it could not;
// the temporary file is removed then.
std::optional<std::string> write_atomically(const std::filesystem::path& target, const std::string& contents);

}  // namespace hmt
