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

#include "fake_process_runner.h"

using namespace hmt;
using hmt::testing::arg_after;
using hmt::testing::exited;
using hmt::testing::FakeLine;
using hmt::testing::FakeProcessRunner;
using hmt::testing::LineResponder;

namespace {

namespace fs = std::filesystem;

// A tested tree and manifests on disk; Nix itself is faked: every case
// named in `broken` fails to evaluate, every case in `kills_evaluator`
// ends the evaluator it is evaluated in, every case in `hangs` times out in
// its build, and building the rest writes a manifest running `script`.
struct FakeNix {
  fs::path root;
  std::set<std::string> broken;
  std::set<std::string> kills_evaluator;
  std::set<std::string> hangs;
  std::set<std::string> hangs_evaluating;  // its evaluation times out
  std::set<std::string> interrupted_while_building;  // a stop signal arrives during the build
  std::function<void()> interrupt;
  std::set<std::string> breaks_runner;  // its build fails, and building it alone throws
  std::set<std::string> dependency_fails;  // the builder of /drv/dep-NAME.drv, which it needs, fails
  bool keeps_logs = true;                   // whether nix-store --read-log has the failed build's log
  std::map<std::string, std::string> scripts;
  std::mutex mutex;
  int evaluators = 0;   // sessions opened
  int evaluations = 0;  // cases asked for
  int build_calls = 0;
  int alone_build_calls = 0;  // nix-build of one derivation, without --keep-going

  FakeNix() {
    root = fs::temp_directory_path() / ("hmt-runner-test-" + std::to_string(::getpid()));
    fs::create_directories(root / "tested" / "home-files");
    std::ofstream(root / "tested" / "home-files" / "a.conf") << "key = value\n";
  }
  ~FakeNix() { fs::remove_all(root); }

  fs::path manifest_path(const std::string& name) const { return root / ("manifest-" + name); }

  fs::path manifest_for(const std::string& name) {
    nlohmann::json m{{"format", 1}, {"name", name}, {"file", "/cases/" + name + ".nix"},
                     {"script", scripts.count(name) ? scripts[name] : "assertFileExists home-files/a.conf"},
                     {"tested", (root / "tested").string()}};
    std::ofstream(manifest_path(name)) << m.dump();
    return manifest_path(name);
  }

  nlohmann::json paths_of(const std::string& name) const {
    return {{"drv", "/drv/" + name}, {"out", manifest_path(name).string()}};
  }

  ProcessResult answer(const ProcessSpec& call) {
    std::lock_guard lock(mutex);
    if (call.argv.front() == "nix-store") {
      const std::string& path = call.argv.back();
      if (call.argv[1] == "--query") return exited(0, "/drv/dep-" + path.substr(std::string("/drv/").size()) + ".drv\n");
      if (keeps_logs) return exited(0, "compiling " + path + "\nboom\n");
      return exited(1, "", "error: build log of '" + path + "' is not available\n");
    }
    if (call.argv.front() == "nix-build") {
      ++build_calls;
      const bool alone = std::find(call.argv.begin(), call.argv.end(), "--keep-going") == call.argv.end();
      if (alone) ++alone_build_calls;
      bool hung = false, failed = false;
      std::string errors;
      for (const auto& arg : call.argv) {
        if (arg.rfind("/drv/", 0) != 0) continue;
        const std::string name = arg.substr(std::string("/drv/").size());
        if (dependency_fails.count(name)) {
          errors += (alone ? "built alone\n" : "") + fmt::format("error: builder for '/drv/dep-{}.drv' failed with exit code 2\n", name);
          failed = true;
          continue;
        }
        if (interrupted_while_building.count(name)) interrupt();
        if (breaks_runner.count(name)) {
          if (alone) throw std::runtime_error("fake runner: cannot start nix-build");
          failed = true;
        } else if (hangs.count(name)) {
          hung = true;
        } else {
          manifest_for(name);
        }
      }
      if (hung) return hmt::testing::timed_out();
      return failed ? exited(1, "", errors + "error: build failed\n") : exited(0);
    }
    return exited(1, "", "error: unexpected call\n");
  }

  // One line to the driver in a `nix repl`.
  FakeLine answer_line(const std::string& line) {
    std::lock_guard lock(mutex);
    static const std::regex trace(R"re(^builtins\.trace "(.*)" null$)re");
    static const std::regex evaluate(R"re(^hmt\.evaluate (\d+) \d+ "(.*)"$)re");
    std::smatch match;
    if (std::regex_match(line, match, trace)) return {"trace: " + match[1].str() + "\n"};
    if (!std::regex_match(line, match, evaluate)) return {};
    ++evaluations;
    const std::string name = match[2];
    if (hangs_evaluating.count(name)) return {"", FakeLine::Then::Hangs};
    if (kills_evaluator.count(name))
      return {"error: stack overflow (possible infinite recursion) in " + name + "\n", FakeLine::Then::Exits};
    if (broken.count(name)) return {"error: case " + name + " is broken\n       at /cases/" + name + ".nix:2:3\n"};
    return {fmt::format("trace: hmt: evaluated {} {}\n", match[1].str(), paths_of(name).dump())};
  }
};

// The runner reports from its worker threads (production wraps reporters
// in a ReporterSet, which serialises them): so does this one.
struct Recorder : Reporter {
  std::mutex mutex;
  std::vector<CaseResult> results;
  std::vector<std::string> planned;
  RunSummary summary;
  std::vector<std::string> bail_reasons;
  void run_started(const RunInfo& info) override {
    std::lock_guard lock(mutex);
    planned = info.case_names;
  }
  void case_finished(const CaseResult& r) override {
    std::lock_guard lock(mutex);
    results.push_back(r);
  }
  void bail_out(const std::string& reason) override {
    std::lock_guard lock(mutex);
    bail_reasons.push_back(reason);
  }
  void run_finished(const RunSummary& s) override {
    std::lock_guard lock(mutex);
    summary = s;
  }
  const CaseResult& get(const std::string& name) const {
    auto it = std::find_if(results.begin(), results.end(), [&](const CaseResult& r) { return r.name == name; });
    REQUIRE(it != results.end());
    return *it;
  }
};

std::vector<CaseEntry> entries(std::initializer_list<std::string> names) {
  std::vector<CaseEntry> out;
  for (const auto& n : names) out.push_back({n, "/cases/" + n + ".nix", "/cases", 0, 0});
  return out;
}

struct Fixture {
  FakeNix nix_state;
  FakeProcessRunner processes{[this](const ProcessSpec& call) { return nix_state.answer(call); },
                              [this](const ProcessSpec&) -> LineResponder {
                                std::lock_guard lock(nix_state.mutex);
                                ++nix_state.evaluators;
                                return [this](const std::string& line) { return nix_state.answer_line(line); };
                              }};
  NixDriver nix{processes, NixSettings{"/driver.nix", "/evaluator.nix", {}, {}, {}, {}, std::nullopt}};
  Recorder reporter;

  Fixture() {
    nix_state.interrupt = [this] { processes.cancellation().cancel("hmt received SIGTERM"); };
  }

  RunSummary run(std::vector<CaseEntry> cases, RunOptions options = {}) {
    Runner runner(processes, reporter, options);
    return runner.run_cases(nix, cases);
  }
};

}  // namespace

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
  CHECK(f.nix_state.build_calls ==
        static_cast<int>(cut_into_chunks(entries({"a", "b", "c", "d", "e", "f", "g", "h"}), ScheduleOptions{2, 4}).size()));
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
