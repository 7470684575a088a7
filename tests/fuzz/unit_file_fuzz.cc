// libFuzzer target: the systemd unit-file parser, and lookups on what it
// parsed.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "assertions/unit_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const hmt::UnitFile unit = hmt::parse_unit_file(text);
  for (const hmt::UnitSection& section : unit.sections) {
    if (unit.find(section.name) == nullptr) std::abort();
    for (const hmt::UnitKey& key : section.keys) {
      if (section.find(key.name) == nullptr) std::abort();
      unit.values(section.name, key.name);
    }
  }
  unit.values("Service", "ExecStart");
  return 0;
}
