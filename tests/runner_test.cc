#include "harness/pipeline/runner.h"
#include "harness/pipeline/scheduler.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <functional>
#include <regex>
#include <set>
#include <stdexcept>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "tests/catch.h"

#include "tests/runner_fixture.h"

using namespace hmt;
using hmt::testing::arg_after;
using hmt::testing::exited;
using hmt::testing::FakeLine;
using hmt::testing::FakeProcessRunner;
using hmt::testing::LineResponder;

using namespace hmt::testing::runner;

TEST_CASE("cases are evaluated in chunks and each chunk is built by one Nix call") {
  Fixture f;
  RunOptions options;
  options.jobs = 2;
  options.chunk_size = 4;
  auto summary = f.run(entries({"a", "b", "c", "d", "e", "f", "g", "h"}), options);
  // One evaluator per job at most, each case asked for once, one build per chunk.
  CHECK(f.nix_state.evaluators >= 1);
  CHECK(f.nix_state.evaluators <= 2);
  CHECK(f.nix_state.evaluations == 8);
  // An idle worker may take the later half of a running chunk, which is
  // then a chunk of its own: how many there are depends on timing.
  CHECK(f.schedule.chunk_evaluations >=
        cut_into_chunks(entries({"a", "b", "c", "d", "e", "f", "g", "h"}), ScheduleOptions{2, 4}).size());
  CHECK(f.nix_state.build_calls == static_cast<int>(f.schedule.chunk_evaluations));
  CHECK(summary.passed == 8);
  CHECK(f.reporter.results.size() == 8);
  CHECK(f.reporter.planned == std::vector<std::string>{"a", "b", "c", "d", "e", "f", "g", "h"});
}

TEST_CASE("a case that throws in its chunk is reported with its own Nix error and the others run") {
  Fixture f;
  f.nix_state.broken = {"b"};
  auto summary = f.run(entries({"a", "b", "c"}));
  CHECK(summary.passed == 2);
  CHECK(summary.failed == 1);
  const auto& b = f.reporter.get("b");
  CHECK(b.status == Status::Error);
  CHECK(b.reason == "evaluating the case failed: case b is broken");
  CHECK(b.nix_error.find("case b is broken") != std::string::npos);
  CHECK(b.file == "/cases/b.nix");
  CHECK(f.nix_state.evaluations == 3);  // none again alone
}

TEST_CASE("a case that ends its evaluator fails with Nix's error and the cases after it run in a fresh one") {
  Fixture f;
  f.nix_state.kills_evaluator = {"c"};
  RunOptions options;
  options.jobs = 1;
  options.chunk_size = 4;
  auto summary = f.run(entries({"a", "b", "c", "d", "e"}), options);
  CHECK(summary.passed == 4);
  const auto& c = f.reporter.get("c");
  CHECK(c.status == Status::Error);
  CHECK(c.nix_error == "error: stack overflow (possible infinite recursion) in c");
  CHECK(f.reporter.get("d").status == Status::Pass);
  CHECK(f.nix_state.evaluations == 5);
  CHECK(f.nix_state.evaluators == 2);
}

TEST_CASE("a failed build in a chunk is pinned to the cases needing it through Nix's log, without rebuilding") {
  Fixture f;
  f.nix_state.dependency_fails = {"b"};
  RunOptions options;
  options.chunk_size = 4;
  auto summary = f.run(entries({"a", "b", "c"}), options);
  CHECK(summary.passed == 2);
  const auto& b = f.reporter.get("b");
  CHECK(b.status == Status::Error);
  CHECK(b.nix_error == "error: builder for '/drv/dep-b.drv' failed with exit code 2\ncompiling /drv/dep-b.drv\nboom");
  CHECK(b.reason == "building the case failed: builder for '/drv/dep-b.drv' failed with exit code 2");
  // b's chunk was built once, and b never alone.
  CHECK(f.nix_state.alone_build_calls == 0);
}

TEST_CASE("where Nix kept no log of a failed build, the case is built alone for its error") {
  Fixture f;
  f.nix_state.dependency_fails = {"b"};
  f.nix_state.keeps_logs = false;
  RunOptions options;
  options.chunk_size = 4;
  f.run(entries({"a", "b", "c"}), options);
  CHECK(f.reporter.get("b").nix_error.find("built alone") != std::string::npos);
  CHECK(f.nix_state.alone_build_calls == 1);
}

TEST_CASE("a build that times out is a TIMEOUT, not a crash") {
  Fixture f;
  f.nix_state.hangs = {"slow"};
  auto summary = f.run(entries({"slow", "fast"}));
  CHECK(f.reporter.get("slow").status == Status::Timeout);
  CHECK(f.reporter.get("slow").reason == "building the case timed out");
  CHECK(f.reporter.get("fast").status == Status::Pass);
  CHECK(summary.failed == 1);
  // The time limit is spent once: the chunk's build is not retried.
  CHECK(f.nix_state.build_calls == 1);
}

TEST_CASE("failing assertions make a FAIL with every failure listed") {
  Fixture f;
  f.nix_state.scripts["bad"] =
      "assertFileExists home-files/missing\nassertFileContains home-files/a.conf 'nope'\nassertFileExists home-files/a.conf\n";
  f.run(entries({"bad"}));
  const auto& bad = f.reporter.get("bad");
  CHECK(bad.status == Status::Fail);
  CHECK(bad.reason == "2 of 3 assertions failed");
  REQUIRE(bad.assertions.size() == 3);
  CHECK(bad.assertions[0].line == 1);
  CHECK(bad.assertions[1].status == Status::Fail);
}

TEST_CASE("fail-fast skips the cases that had not started") {
  Fixture f;
  f.nix_state.scripts["first"] = "assertFileExists home-files/missing\n";
  RunOptions options;
  options.jobs = 1;
  options.fail_fast = true;
  auto summary = f.run(entries({"first", "second", "third"}), options);
  CHECK(f.reporter.get("first").status == Status::Fail);
  CHECK(f.reporter.get("second").status == Status::Skip);
  CHECK(f.reporter.get("third").reason.find("--fail-fast") != std::string::npos);
  CHECK(summary.skipped == 2);
}

TEST_CASE("verify-only mode asserts manifests without calling Nix") {
  Fixture f;
  f.nix_state.scripts["v"] = "assertFileContains home-files/a.conf 'key = value'\n";
  fs::path manifest = f.nix_state.manifest_for("v");
  Runner runner(f.processes, f.reporter, RunOptions{});
  auto summary = runner.verify_manifests({manifest, f.nix_state.root / "no-such-manifest"});
  CHECK(f.processes.calls().empty());
  CHECK(summary.passed == 1);
  CHECK(summary.failed == 1);
  CHECK(f.reporter.results[1].status == Status::Error);
  CHECK(f.reporter.results[1].reason.find("no-such-manifest") != std::string::npos);
}

TEST_CASE("an interrupt stops the run: what did not finish is reported as interrupted, and nothing more starts") {
  Fixture f;
  f.nix_state.interrupted_while_building = {"b"};
  RunOptions options;
  options.jobs = 1;
  options.chunk_size = 1;  // chunks [a] [b] [c] [d], built in that order
  auto summary = f.run(entries({"a", "b", "c", "d"}), options);
  CHECK(f.reporter.get("a").status == Status::Pass);
  for (const std::string name : {"b", "c", "d"}) {
    CHECK(f.reporter.get(name).status == Status::Error);
    CHECK(f.reporter.get(name).reason == "interrupted");
  }
  CHECK(summary.bailed_out);
  REQUIRE(f.reporter.bail_reasons.size() == 1);
  CHECK(f.reporter.bail_reasons[0].find("hmt received SIGTERM") != std::string::npos);
  // Nothing was built after the interrupt.
  for (const auto& call : f.processes.calls())
    if (call.argv.front() == "nix-build")
      CHECK(std::find(call.argv.begin(), call.argv.end(), "/drv/c") == call.argv.end());
}

TEST_CASE("a case whose evaluation times out is a TIMEOUT, evaluated once, and the others of its chunk pass") {
  Fixture f;
  f.nix_state.hangs_evaluating = {"b"};
  RunOptions options;
  options.jobs = 1;
  options.chunk_size = 8;  // chunks [a b] [c] [d]
  auto summary = f.run(entries({"a", "b", "c", "d"}), options);
  CHECK(f.reporter.get("b").status == Status::Timeout);
  CHECK(f.reporter.get("b").reason == "evaluating the case timed out");
  for (const std::string name : {"a", "c", "d"}) CHECK(f.reporter.get(name).status == Status::Pass);
  CHECK(summary.failed == 1);
  CHECK(f.nix_state.evaluations == 4);
  CHECK(f.nix_state.evaluators == 2);  // the hung one was replaced
}

TEST_CASE("an exception while building a case makes that case an error and the run goes on") {
  Fixture f;
  f.nix_state.breaks_runner = {"b"};
  auto summary = f.run(entries({"a", "b", "c"}));
  CHECK(f.reporter.get("b").status == Status::Error);
  CHECK(f.reporter.get("b").reason == "hmt: fake runner: cannot start nix-build");
  CHECK(f.reporter.get("a").status == Status::Pass);
  CHECK(f.reporter.get("c").status == Status::Pass);
  CHECK(summary.failed == 1);
}
