// libFuzzer target: the shell-word lexer and the native interpreter. Any
// input is parsed; a script the native interpreter accepts runs against a
// small tree made once per process and removed at exit (no bash: the
// fallback has no runner).
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>

#include "assertions/native_script.h"
#include "assertions/script.h"
#include "assertions/shell_words.h"
#include "process/temporary_folder.h"

namespace fs = std::filesystem;

namespace {

// The tree lives as long as the process; its destructor runs at exit, which
// is how both libFuzzer and the replay driver end.
class Sandbox {
 public:
  Sandbox() : folder_(make_folder()), root_(folder_.path()) {
    fs::create_directories(root_ / "tested/home-files/dir");
    fs::create_directories(root_ / "work");
    fs::create_directories(root_ / "store");
    std::ofstream(root_ / "tested/home-files/a") << "key = value\n[Service]\nExecStart=/bin/x -a 'b c'\n";
    fs::create_symlink("a", root_ / "tested/home-files/link");
    context_.assertion = {root_ / "tested", root_ / "work", root_ / "store"};
    context_.case_name = "fuzz";
  }
  const hmt::ScriptContext& context() const { return context_; }

 private:
  static hmt::TemporaryFolder make_folder() {
    hmt::Expected<hmt::TemporaryFolder> folder = hmt::TemporaryFolder::create("hmt-script-fuzz-");
    if (!folder) std::abort();
    return std::move(folder).value();
  }

  hmt::TemporaryFolder folder_;
  fs::path root_;
  hmt::ScriptContext context_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Sandbox sandbox;
  const hmt::ScriptContext& context = sandbox.context();
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
