// A tested tree and a work dir in fresh temp dirs, removed afterwards, for
// the tests of the unit assertions (unit_assertions, unit_verify).
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/catch.h"

#include "assertions/assertion.h"
#include "tests/temp_dir.h"

namespace hmt::testing {

struct TestedTree {
  TestedTree() : tested_("hmt-unit-tested-"), work_("hmt-unit-work-") {
    context.tested = tested_.path();
    context.work_dir = work_.path();
    context.store_dir = "/nix/store";
  }

  void write(const std::string& relative, const std::string& text) const { tested_.write(relative, text); }

  // Runs the assertion as a script's line 7 would, through the registry.
  AssertionResult run(const std::string& name, std::vector<std::string> args) const {
    return run_assertion(Invocation{name, std::move(args), 7}, context);
  }

  AssertionContext context;

 private:
  TempDir tested_;
  TempDir work_;
};

}  // namespace hmt::testing
