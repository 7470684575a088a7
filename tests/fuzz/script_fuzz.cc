// libFuzzer target: the shell-word lexer and the native interpreter. Any
// input is parsed; a script the native interpreter accepts runs against a
// small tree made once per process (no bash: the fallback has no runner).
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "assertions/native_script.h"
#include "assertions/script.h"
#include "assertions/shell_words.h"

namespace fs = std::filesystem;

namespace {

hmt::ScriptContext make_context() {
  std::string pattern = (fs::temp_directory_path() / "hmt-script-fuzz-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) std::abort();
  const fs::path root = pattern;
  fs::create_directories(root / "tested/home-files/dir");
  fs::create_directories(root / "work");
  fs::create_directories(root / "store");
  std::ofstream(root / "tested/home-files/a") << "key = value\n[Service]\nExecStart=/bin/x -a 'b c'\n";
  fs::create_symlink("a", root / "tested/home-files/link");
  hmt::ScriptContext context;
  context.assertion = {root / "tested", root / "work", root / "store"};
  context.case_name = "fuzz";
  return context;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const hmt::ScriptContext context = make_context();
  const std::string_view script(reinterpret_cast<const char*>(data), size);
  const hmt::shell::ParsedScript parsed = hmt::shell::parse_script(script);
  hmt::shell::command_start_lines(script);
  if (parsed.unsupported) {
    // The fallback without a runner reports an error and starts nothing.
    if (!hmt::run_script(script, context).error) std::abort();
    return 0;
  }
  if (!hmt::native_obstacle(parsed)) hmt::run_script_natively(parsed, context);
  return 0;
}
