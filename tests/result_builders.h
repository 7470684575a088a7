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

// assertFileContent home-files/app.conf ./expected.conf, failed on line 2:
// "a = 1" expected, "a = 2" found, with its one-hunk diff.
inline AssertionResult content_mismatch() {
  AssertionResult a = failed_assertion("assertFileContent", {"home-files/app.conf", "./expected.conf"}, 2,
                                       "home-files/app.conf differs from ./expected.conf");
  a.expected = "a = 1\n";
  a.actual = "a = 2\n";
  a.diff = "--- ./expected.conf\n+++ home-files/app.conf\n@@ -1 +1 @@\n-a = 1\n+a = 2\n";
  return a;
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
