// The inputs a fuzz target once crashed on (tests/fuzz/<target>/crashes/),
// for the Catch2 regression tests that feed them to the same code.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

namespace hmt::testing {

inline std::map<std::string, std::string> fuzz_crash_inputs(const std::string& target) {
  std::map<std::string, std::string> inputs;
  const std::filesystem::path dir = std::filesystem::path(HMT_TEST_DATA_DIR) / "fuzz" / target / "crashes";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    inputs[entry.path().filename().string()] =
        std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  return inputs;
}

}  // namespace hmt::testing
