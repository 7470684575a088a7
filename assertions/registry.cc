#include <exception>

#include <fmt/core.h>

#include "assertions/assertion.h"

namespace hmt {

std::array<std::span<const AssertionSpec>, 4> assertion_families() {
  return {file_assertion_specs(), content_assertion_specs(), unit_assertion_specs(), unit_verify_specs()};
}

const AssertionSpec* find_assertion(std::string_view name) {
  for (auto family : assertion_families())
    for (const auto& spec : family)
      if (spec.name == name) return &spec;
  return nullptr;
}

AssertionResult run_assertion(const Invocation& call, const AssertionContext& context) {
  AssertionResult result;
  result.name = call.name;
  result.args = call.args;
  result.line = call.line;
  const AssertionSpec* spec = find_assertion(call.name);
  if (!spec) {
    result.status = Status::Error;
    result.message = fmt::format("unknown assertion '{}'", call.name);
    return result;
  }
  const int count = static_cast<int>(call.args.size());
  if (count < spec->min_args || (spec->max_args >= 0 && count > spec->max_args)) {
    result.status = Status::Error;
    std::string wanted = spec->max_args == spec->min_args ? fmt::format("{}", spec->min_args)
                         : spec->max_args < 0 ? fmt::format("at least {}", spec->min_args)
                                              : fmt::format("{} to {}", spec->min_args, spec->max_args);
    result.message = fmt::format("{} takes {} argument(s), got {}; usage: {}", call.name, wanted,
                                 count, spec->usage);
    return result;
  }
  try {
    AssertionResult ran = spec->run(call, context);
    ran.name = call.name;
    ran.args = call.args;
    ran.line = call.line;
    return ran;
  } catch (const std::exception& e) {
    result.status = Status::Error;
    result.message = fmt::format("{}: {}", call.name, e.what());
    return result;
  }
}

}  // namespace hmt
