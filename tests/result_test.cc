#include "assertions/result.h"

#include <nlohmann/json.hpp>

#include "tests/catch.h"

using hmt::AssertionResult;
using hmt::ScriptOutcome;
using hmt::Status;

TEST_CASE("status names round-trip and unknown names are rejected") {
  for (Status s : {Status::Pass, Status::Fail, Status::Skip, Status::Timeout, Status::Error})
    CHECK(hmt::status_from_string(hmt::to_string(s)) == s);
  CHECK_FALSE(hmt::status_from_string("ok").has_value());
}

TEST_CASE("an assertion result survives JSON, optional fields included") {
  AssertionResult r;
  r.name = "assertFileContent";
  r.args = {"home-files/a", "/nix/store/x-a"};
  r.line = 7;
  r.status = Status::Fail;
  r.message = "differs";
  r.file = "home-files/a";
  r.diff = "--- actual\n+++ expected\n";
  r.expected_path = "/nix/store/x-a";
  AssertionResult back = nlohmann::json(r).get<AssertionResult>();
  CHECK(back.name == r.name);
  CHECK(back.args == r.args);
  CHECK(back.line == 7);
  CHECK(back.status == Status::Fail);
  CHECK(back.diff == r.diff);
  CHECK(back.expected_path == r.expected_path);
  CHECK_FALSE(back.expected.has_value());
}

TEST_CASE("a case status folds assertion verdicts: error beats fail beats pass") {
  ScriptOutcome outcome;
  CHECK(hmt::case_status(outcome) == Status::Pass);
  outcome.assertions.push_back({});
  outcome.assertions.back().status = Status::Fail;
  CHECK(hmt::case_status(outcome) == Status::Fail);
  outcome.assertions.push_back({});
  outcome.assertions.back().status = Status::Error;
  CHECK(hmt::case_status(outcome) == Status::Error);
  ScriptOutcome broken;
  broken.error = "line 3: unknown command";
  CHECK(hmt::case_status(broken) == Status::Error);
}

TEST_CASE("a skipped assertion (a tool it needs is missing) does not fail its case") {
  ScriptOutcome outcome;
  outcome.assertions.push_back({});
  outcome.assertions.back().status = Status::Pass;
  outcome.assertions.push_back({});
  outcome.assertions.back().status = Status::Skip;
  CHECK(hmt::case_status(outcome) == Status::Pass);
  outcome.assertions.push_back({});
  outcome.assertions.back().status = Status::Fail;
  CHECK(hmt::case_status(outcome) == Status::Fail);
}
