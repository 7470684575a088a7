// libFuzzer target: the ExecStart= splitter. Besides not crashing, every
// word it yields must split back to itself once quoted.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "assertions/exec_split.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view value(reinterpret_cast<const char*>(data), size);
  const hmt::ExecSplit split = hmt::split_exec_command_line(value);
  if (!split.ok()) return 0;
  for (const hmt::ExecCommand& command : split.commands) {
    for (const std::string& word : command.argv) {
      const hmt::ExecSplit again = hmt::split_exec_command_line("x " + hmt::quote_exec_word(word));
      if (!again.ok() || again.commands.size() != 1 || again.commands[0].argv.size() != 2 ||
          again.commands[0].argv[1] != word)
        std::abort();
    }
  }
  return 0;
}
