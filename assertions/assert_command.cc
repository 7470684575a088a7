#include "assertions/assert_command.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "assertions/json_bytes.h"
#include "assertions/script_support.h"

namespace hmt {

namespace {

std::optional<std::string> environment_value(const char* name) {
  const char* value = std::getenv(name);
  if (!value) return std::nullopt;
  return std::string(value);
}

int line_from_environment() {
  const auto text = environment_value("HMT_LINE");
  if (!text) return 0;
  try {
    return std::stoi(*text);
  } catch (const std::exception&) {
    return 0;
  }
}

AssertionContext context_from_environment() {
  AssertionContext context;
  context.tested = environment_value("HMT_TESTED").value_or("");
  context.work_dir = environment_value("HMT_WORK_DIR").value_or("");
  if (auto store = environment_value("HMT_STORE_DIR")) context.store_dir = *store;
  if (auto roots = environment_value("HMT_INPUT_ROOTS")) context.input_roots = input_roots_from_text(*roots);
  return context;
}

bool append_result(const AssertionResult& result) {
  const auto path = environment_value("HMT_RESULTS");
  if (!path) {
    std::cerr << "hmt: HMT_RESULTS is not set\n";
    return false;
  }
  // Names, paths and file contents may be any bytes; they travel intact.
  const std::string line = json_bytes::dump(nlohmann::json(result));
  std::ofstream file(*path, std::ios::app | std::ios::binary);
  file << line << '\n';
  file.close();
  if (!file) {
    std::cerr << "hmt: cannot append to " << *path << '\n';
    return false;
  }
  return true;
}

}  // namespace

int assert_command_main(int argc, char** argv) {
  if (argc < 1) {
    std::cerr << "hmt: usage: __assert NAME ARGS... | __normalize PATH\n";
    return 2;
  }
  const std::string_view subcommand = argv[0];
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (!environment_value("HMT_TESTED")) {
    std::cerr << "hmt: " << subcommand << " is run by nmt.script under hmt; HMT_TESTED is not set\n";
    return 2;
  }
  const AssertionContext context = context_from_environment();
  const int line = line_from_environment();

  if (subcommand == "__assert" && !args.empty()) {
    const Invocation call{args.front(), {args.begin() + 1, args.end()}, line};
    const bool known = find_assertion(call.name) != nullptr;
    if (!append_result(known ? run_assertion(call, context) : unknown_command(call))) return 2;
    return known ? 0 : 2;
  }
  if (subcommand == "__normalize") {
    const Normalized normalized = normalize_command(args, line, context);
    if (normalized.failure) {
      std::cerr << normalized.failure->message << '\n';
      append_result(*normalized.failure);
      return 1;
    }
    std::cout << normalized.path << '\n';
    return 0;
  }
  std::cerr << "hmt: usage: __assert NAME ARGS... | __normalize PATH\n";
  return 2;
}

}  // namespace hmt
