// A tested tree and a work dir in fresh temp dirs, removed afterwards, for
// the tests of the unit assertions (unit_assertions, unit_verify).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "assertions/assertion.h"

namespace hmt::testing {

inline std::filesystem::path make_temp_dir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

struct TestedTree {
  TestedTree() {
    context.tested = make_temp_dir("hmt-unit-tested");
    context.work_dir = make_temp_dir("hmt-unit-work");
    context.store_dir = "/nix/store";
  }
  ~TestedTree() {
    std::error_code ignored;
    std::filesystem::remove_all(context.tested, ignored);
    std::filesystem::remove_all(context.work_dir, ignored);
  }
  TestedTree(const TestedTree&) = delete;
  TestedTree& operator=(const TestedTree&) = delete;

  void write(const std::string& relative, const std::string& text) const {
    const std::filesystem::path path = context.tested / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }

  // Runs the assertion as a script's line 7 would, through the registry.
  AssertionResult run(const std::string& name, std::vector<std::string> args) const {
    return run_assertion(Invocation{name, std::move(args), 7}, context);
  }

  AssertionContext context;
};

}  // namespace hmt::testing
