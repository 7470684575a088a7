// libFuzzer target: the manifest reader. Whatever the bytes, it gives a
// manifest or an error; a manifest it gives keeps its strings' bytes.
#include <cstdint>
#include <string>

#include "harness/nix/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  hmt::parse_manifest(text);
  return 0;
}
