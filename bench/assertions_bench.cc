// How much the native interpreter saves over running the same nmt.script
// under bash with one helper process per assertion (the fallback, and the
// shape of nmt's own runner). Prints both times and their ratio.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include <fmt/core.h>

#include "assertions/bash_script.h"
#include "assertions/script.h"
#include "process/process.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  const int files = argc > 1 ? std::stoi(argv[1]) : 100;
  const fs::path root = fs::temp_directory_path() / ("hmt-bench-" + std::to_string(::getpid()));
  const fs::path tested = root / "tested";
  fs::create_directories(tested / "home-files");
  std::string script;
  for (int i = 0; i < files; ++i) {
    const std::string name = fmt::format("home-files/unit-{}.service", i);
    std::ofstream(tested / name) << fmt::format("[Service]\nExecStart=/bin/tool --index {}\n", i);
    script += fmt::format("assertFileExists {}\n", name);
    script += fmt::format("assertFileContains {} 'index {}'\n", name, i);
    script += fmt::format("assertExecStartArgv {} /bin/tool --index {}\n", name, i);
  }
  fs::create_directories(root / "work");

  hmt::SystemProcessRunner runner;
  hmt::ScriptContext context;
  context.assertion.tested = tested;
  context.assertion.work_dir = root / "work";
  context.case_name = "bench";
  context.helper = HMT_BINARY;
  context.runner = &runner;

  auto time = [&](auto run) {
    const auto start = Clock::now();
    hmt::ScriptOutcome outcome = run();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const auto status = hmt::case_status(outcome);
    if (status != hmt::Status::Pass || outcome.assertions.size() != static_cast<std::size_t>(3 * files)) {
      std::fprintf(stderr, "bench: the script did not pass (%s)\n", outcome.error.value_or("").c_str());
      fs::remove_all(root);
      std::exit(1);
    }
    return seconds;
  };
  const double bash = time([&] { return hmt::run_script_in_bash(script, context); });
  const double native = time([&] { return hmt::run_script(script, context); });
  fs::remove_all(root);

  std::printf("assertions: %d per run\n", 3 * files);
  std::printf("baseline (bash, one process per assertion): %.3f s\n", bash);
  std::printf("native interpreter:                         %.3f s\n", native);
  std::printf("speedup native vs bash: %.1fx\n", bash / native);
  return 0;
}
