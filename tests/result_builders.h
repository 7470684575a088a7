// Builders for the results reporter tests feed to reporters.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "assertions/result.h"

namespace hmt::testing {

inline AssertionResult assertion(std::string name, std::vector<std::string> args, int line, Status status,
                                 std::string message) {
  AssertionResult a;
  a.name = std::move(name);
  a.args = std::move(args);
  a.line = line;
  a.status = status;
  a.message = std::move(message);
  a.file = a.args.empty() ? "" : a.args.front();
  return a;
}

inline AssertionResult failed_assertion(std::string name, std::vector<std::string> args, int line,
                                        std::string message) {
  return assertion(std::move(name), std::move(args), line, Status::Fail, std::move(message));
}

inline CaseResult make_case(std::string name, Status status, std::chrono::milliseconds duration,
                            std::string reason = "") {
  CaseResult c;
  c.file = "tests/" + name + ".nix";
  c.name = std::move(name);
  c.status = status;
  c.duration = duration;
  c.reason = std::move(reason);
  return c;
}

}  // namespace hmt::testing
