// Peak memory of unit assertions on a large unit file, against file
// assertions on the same file (which stream it) and an empty script, each
// measured in a fresh process of this program. Prints the peaks and the
// ratio of each one's growth to the file's size.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/core.h>

#include "assertions/script.h"

namespace fs = std::filesystem;

namespace {

const std::string kUnit = "home-files/big.service";

long peak_rss_kib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

std::string script_for(const std::string& mode) {
  std::string script;
  for (int i = 0; i < 5; ++i) {
    if (mode == "file") script += fmt::format("assertFileContains {} 'VAR_{}='\n", kUnit, i);
    if (mode == "unit") script += fmt::format("assertUnitValue {} Service Restart always\n", kUnit);
  }
  if (mode == "unit") script += fmt::format("assertExecStartArgv {} /bin/tool --flag\n", kUnit);
  return script;
}

// Child: run one script over the tree and print the peak RSS in KiB.
int measure(const fs::path& root, const std::string& mode) {
  hmt::ScriptContext context;
  context.assertion.tested = root / "tested";
  context.assertion.work_dir = root / "work";
  context.case_name = mode;
  const hmt::ScriptOutcome outcome = hmt::run_script(script_for(mode), context);
  if (hmt::case_status(outcome) != hmt::Status::Pass) {
    std::fprintf(stderr, "bench: the %s script did not pass\n", mode.c_str());
    return 1;
  }
  std::printf("%ld\n", peak_rss_kib());
  return 0;
}

long run_child(const fs::path& root, const std::string& mode) {
  const std::string command = fmt::format("/proc/{}/exe --measure {} {}", ::getpid(), root.string(), mode);
  FILE* pipe = ::popen(command.c_str(), "r");
  long kib = -1;
  if (pipe && std::fscanf(pipe, "%ld", &kib) != 1) kib = -1;
  if (pipe && ::pclose(pipe) != 0) kib = -1;
  return kib;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--measure") return measure(argv[2], argv[3]);
  const long megabytes = argc > 1 ? std::stol(argv[1]) : 100;
  const fs::path root = fs::temp_directory_path() / ("hmt-bench-units-" + std::to_string(::getpid()));
  fs::create_directories(root / "tested/home-files");
  fs::create_directories(root / "work");
  {
    std::ofstream unit(root / "tested" / kUnit, std::ios::binary);
    unit << "[Service]\nExecStart=/bin/tool --flag\nRestart=always\n";
    const long bytes = megabytes * 1024 * 1024;
    for (long i = 0, written = 0; written < bytes; ++i) {
      const std::string line = fmt::format("Environment=VAR_{}=some-value-that-fills-the-line-{:020}\n", i, i);
      unit << line;
      written += static_cast<long>(line.size());
    }
  }
  const double file_mib = static_cast<double>(fs::file_size(root / "tested" / kUnit)) / (1024 * 1024);
  const long idle = run_child(root, "idle");
  const long file = run_child(root, "file");
  const long unit = run_child(root, "unit");
  fs::remove_all(root);
  if (idle < 0 || file < 0 || unit < 0) {
    std::fprintf(stderr, "bench: a measurement failed\n");
    return 1;
  }
  auto growth = [&](long kib) { return static_cast<double>(kib - idle) / 1024.0; };
  std::printf("unit file: %.0f MiB\n", file_mib);
  std::printf("empty script:                     peak %6.0f MiB\n", idle / 1024.0);
  std::printf("5 file assertions (baseline):     peak %6.0f MiB, +%.2fx the file\n", file / 1024.0,
              growth(file) / file_mib);
  std::printf("6 unit assertions, one parse:     peak %6.0f MiB, +%.2fx the file\n", unit / 1024.0,
              growth(unit) / file_mib);
  return 0;
}
