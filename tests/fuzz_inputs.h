// The committed inputs of a fuzz target (tests/fuzz/<target>/<folder>/:
// "crashes" holds what it once crashed on, "corpus" its seeds), for the
// Catch2 tests that feed them to the same code.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

namespace hmt::testing {

inline std::map<std::string, std::string> fuzz_inputs(const std::string& target, const std::string& folder) {
  std::map<std::string, std::string> inputs;
  const std::filesystem::path dir = std::filesystem::path(HMT_TEST_DATA_DIR) / "fuzz" / target / folder;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    inputs[entry.path().filename().string()] =
        std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  return inputs;
}

inline std::map<std::string, std::string> fuzz_crash_inputs(const std::string& target) {
  return fuzz_inputs(target, "crashes");
}

}  // namespace hmt::testing
