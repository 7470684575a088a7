// The assertion vocabulary: nmt's file assertions plus hmt's systemd-aware
// ones, looked up by name and run against a tested tree.
#pragma once

#include <array>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "assertions/result.h"

namespace hmt {

class ProcessRunner;
class UnitCache;

struct AssertionContext {
  std::filesystem::path tested;    // root of the tested tree ($TESTED)
  std::filesystem::path work_dir;  // scratch folder ($out): normalizeStorePaths writes here
  std::filesystem::path store_dir = "/nix/store";  // expected files may sit anywhere below it
  // What the case was made from (its source folder, the home-manager and
  // nixpkgs checkouts): links may lead into them, as into the store, since
  // a Nix path there stands for its copy in the store.
  std::vector<std::filesystem::path> input_roots = {};
  ProcessRunner* processes = nullptr;  // for assertUnitVerifies; null: the real processes
  UnitCache* units = nullptr;          // parses shared by one script's assertions; null: none
};

// One assertion call as the script made it.
struct Invocation {
  std::string name;
  std::vector<std::string> args;
  int line = 0;
};

// A result for `call`: its name, arguments and line, and as `file` the
// first argument, the path every assertion is about.
inline AssertionResult verdict_for(const Invocation& call, Status status, std::string message) {
  AssertionResult result;
  result.name = call.name;
  result.args = call.args;
  result.line = call.line;
  result.status = status;
  result.message = std::move(message);
  if (!call.args.empty()) result.file = call.args.front();
  return result;
}

using AssertionFn = AssertionResult (*)(const Invocation&, const AssertionContext&);

struct AssertionSpec {
  std::string_view name;
  int min_args;
  int max_args;  // -1: any number
  AssertionFn run;
  std::string_view usage;  // e.g. "assertFileExists PATH"
};

// The tables each family provides (file_assertions.cc, content_assertions.cc,
// unit_assertions.cc, unit_verify.cc).
std::span<const AssertionSpec> file_assertion_specs();
std::span<const AssertionSpec> content_assertion_specs();
std::span<const AssertionSpec> unit_assertion_specs();
std::span<const AssertionSpec> unit_verify_specs();

// Every family, in lookup order.
std::array<std::span<const AssertionSpec>, 4> assertion_families();

// Looks a name up in every family; nullptr when it is not an assertion.
const AssertionSpec* find_assertion(std::string_view name);

// Checks the argument count (an Error result with the usage line when it is
// wrong), then runs the assertion. Never throws: I/O problems become Error.
AssertionResult run_assertion(const Invocation& call, const AssertionContext& context);

}  // namespace hmt
